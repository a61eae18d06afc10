namespace Sequencer.Rpc.Dto;

/// <summary>
/// eth_getTransactionReceipt without an execution node: where the transaction was ordered, in the pre-Byzantium
/// receipt form (a <c>root</c>, no <c>status</c>), which every client reads as "outcome not stated" (docs/rpc.md).
/// </summary>
public sealed class InclusionReceiptDto
{
    public required string TransactionHash { get; init; }

    public required string TransactionIndex { get; init; }

    public required string BlockHash { get; init; }

    public required string BlockNumber { get; init; }

    public required string From { get; init; }

    public required string? To { get; init; }

    public required string CumulativeGasUsed { get; init; }

    public required string GasUsed { get; init; }

    public required string EffectiveGasPrice { get; init; }

    public required string? ContractAddress { get; init; }

    public required List<string> Logs { get; init; }

    public required string LogsBloom { get; init; }

    public required string Type { get; init; }

    public required string Root { get; init; }
}
