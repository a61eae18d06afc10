using System.Text.Json.Serialization;

namespace Sequencer.Rpc.Dto;

/// <summary>A transaction as <c>eth_getTransactionByHash</c> returns it.</summary>
public sealed class TransactionDto
{
    public required string? BlockHash { get; init; }

    public required string? BlockNumber { get; init; }

    public required string? TransactionIndex { get; init; }

    public required string Hash { get; init; }

    public required string From { get; init; }

    public required string? To { get; init; }

    public required string Nonce { get; init; }

    public required string Gas { get; init; }

    public required string GasPrice { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? MaxFeePerGas { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? MaxPriorityFeePerGas { get; init; }

    public required string Value { get; init; }

    public required HexData Input { get; init; }

    public required string Type { get; init; }

    public required string ChainId { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<AccessListEntryDto>? AccessList { get; init; }

    public required string V { get; init; }

    public required string R { get; init; }

    public required string S { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? YParity { get; init; }

    /// <summary>The transaction's sequence number (sequencer extension).</summary>
    public required string Sequence { get; init; }
}

public sealed class AccessListEntryDto
{
    public required string Address { get; init; }

    public required List<string> StorageKeys { get; init; }
}
