using System.Numerics;
using Nethereum.ABI.FunctionEncoding.Attributes;
using Nethereum.Contracts;

namespace Acceptance.Clients;

// The test token as a Nethereum user describes it: typed deployment, function and event messages.

public sealed class TokenDeployment : ContractDeploymentMessage
{
    /// <summary>Nethereum's handlers create messages themselves (new()): such a message carries no bytecode.</summary>
    public TokenDeployment()
        : base("")
    {
    }

    public TokenDeployment(string bytecode)
        : base(bytecode)
    {
    }

    [Parameter("uint256", "supply", 1)]
    public BigInteger Supply { get; set; }
}

[Function("balanceOf", "uint256")]
public sealed class BalanceOfFunction : FunctionMessage
{
    [Parameter("address", "owner", 1)]
    public string Owner { get; set; } = "";
}

[Function("transfer", "bool")]
public sealed class TransferFunction : FunctionMessage
{
    [Parameter("address", "to", 1)]
    public string To { get; set; } = "";

    [Parameter("uint256", "value", 2)]
    public BigInteger Value { get; set; }
}

[Event("Transfer")]
public sealed class TransferEvent : IEventDTO
{
    [Parameter("address", "from", 1, true)]
    public string From { get; set; } = "";

    [Parameter("address", "to", 2, true)]
    public string To { get; set; } = "";

    [Parameter("uint256", "value", 3, false)]
    public BigInteger Value { get; set; }
}
