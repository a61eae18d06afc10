namespace Sequencer.Rpc.Dto;

/// <summary>
/// A block in the shape Ethereum clients expect. Fields that describe execution (state, receipts,
/// logs) are zero: the sequencer orders, it does not execute. <typeparamref name="TTransaction"/> is
/// a hash string or a full <see cref="TransactionDto"/>.
/// </summary>
public sealed class BlockDto<TTransaction>
{
    public required string? Number { get; init; }

    public required string? Hash { get; init; }

    public required string ParentHash { get; init; }

    public string Nonce { get; init; } = "0x0000000000000000";

    public string Sha3Uncles { get; init; } = BlockConstants.EmptyUnclesHash;

    public string LogsBloom { get; init; } = BlockConstants.EmptyBloom;

    public required string TransactionsRoot { get; init; }

    public string StateRoot { get; init; } = BlockConstants.ZeroHash;

    public string ReceiptsRoot { get; init; } = BlockConstants.ZeroHash;

    public required string Miner { get; init; }

    public string Difficulty { get; init; } = "0x0";

    public string TotalDifficulty { get; init; } = "0x0";

    public string ExtraData { get; init; } = "0x";

    public required string Size { get; init; }

    public required string GasLimit { get; init; }

    public required string GasUsed { get; init; }

    public required string Timestamp { get; init; }

    public required string BaseFeePerGas { get; init; }

    public string MixHash { get; init; } = BlockConstants.ZeroHash;

    public required List<TTransaction> Transactions { get; init; }

    public List<string> Uncles { get; init; } = [];

    /// <summary>Accumulator after the block's last transaction (sequencer extension).</summary>
    public required string SequencerAccumulator { get; init; }

    /// <summary>Sequence number of the block's first transaction (sequencer extension).</summary>
    public required string FirstSequence { get; init; }
}

/// <summary>Constant header fields.</summary>
public static class BlockConstants
{
    public const string ZeroHash = "0x0000000000000000000000000000000000000000000000000000000000000000";

    /// <summary>keccak256(rlp([])): no uncles.</summary>
    public const string EmptyUnclesHash = "0x1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347";

    public static readonly string EmptyBloom = "0x" + new string('0', 512);
}
