using System.Numerics;
using Nethereum.ABI.FunctionEncoding.Attributes;
using Nethereum.Contracts;

namespace Batcher.L1;

[Function("forceInclude", "uint64")]
public sealed class ForceIncludeFunction : FunctionMessage
{
    [Parameter("bytes", "rawTx", 1)]
    public byte[] RawTx { get; set; } = [];
}

[Function("forcedQueueLength", "uint256")]
public sealed class ForcedQueueLengthFunction : FunctionMessage;

[Event("ForcedTransactionQueued")]
public sealed class ForcedTransactionQueuedEvent : IEventDTO
{
    [Parameter("uint64", "queueIndex", 1, true)]
    public ulong QueueIndex { get; set; }

    [Parameter("bytes32", "txHash", 2, true)]
    public byte[] TxHash { get; set; } = [];

    [Parameter("uint64", "l1Block", 3, false)]
    public ulong L1Block { get; set; }

    [Parameter("bytes", "rawTx", 4, false)]
    public byte[] RawTx { get; set; } = [];
}

[Function("postBond")]
public sealed class PostBondFunction : FunctionMessage;

[Function("bond", "uint256")]
public sealed class BondFunction : FunctionMessage;

[Function("sequencer", "address")]
public sealed class SequencerFunction : FunctionMessage;

[Function("sequencerFaulted", "bool")]
public sealed class SequencerFaultedFunction : FunctionMessage;

[Function("registerSequencer")]
public sealed class RegisterSequencerFunction : FunctionMessage
{
    [Parameter("address", "newSequencer", 1)]
    public string NewSequencer { get; set; } = "";
}

[Event("SequencerSlashed")]
public sealed class SequencerSlashedEvent : IEventDTO
{
    [Parameter("address", "sequencer", 1, true)]
    public string Sequencer { get; set; } = "";

    [Parameter("address", "prover", 2, true)]
    public string Prover { get; set; } = "";

    [Parameter("uint8", "fault", 3, false)]
    public byte Fault { get; set; }

    [Parameter("uint64", "sequence", 4, false)]
    public ulong Sequence { get; set; }

    [Parameter("uint256", "reward", 5, false)]
    public BigInteger Reward { get; set; }

    [Parameter("uint256", "burnedAmount", 6, false)]
    public BigInteger BurnedAmount { get; set; }
}

[Function("forcedQueue", typeof(ForcedQueueEntryOutput))]
public sealed class ForcedQueueFunction : FunctionMessage
{
    [Parameter("uint256", "", 1)]
    public BigInteger Index { get; set; }
}

[FunctionOutput]
public sealed class ForcedQueueEntryOutput : IFunctionOutputDTO
{
    [Parameter("bytes32", "txHash", 1)]
    public byte[] TxHash { get; set; } = [];

    [Parameter("uint64", "l1Block", 2)]
    public ulong L1Block { get; set; }
}

[Function("forcedInclusionWindow", "uint64")]
public sealed class ForcedInclusionWindowFunction : FunctionMessage;
