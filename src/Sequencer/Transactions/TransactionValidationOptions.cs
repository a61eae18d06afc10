namespace Sequencer.Transactions;

/// <summary>Limits applied to every incoming transaction (configuration section "Transactions").</summary>
public sealed class TransactionValidationOptions
{
    public const string SectionName = "Transactions";

    /// <summary>The rollup's chain id; transactions signed for any other chain are refused.</summary>
    public ulong ChainId { get; set; } = 424242;

    /// <summary>Largest accepted encoded transaction in bytes (geth's txpool uses 128 KiB too).</summary>
    public int MaxEncodedSize { get; set; } = 131_072;

    /// <summary>A transaction whose gas limit is above this could never fit in a block.</summary>
    public ulong BlockGasLimit { get; set; } = 30_000_000;

    /// <summary>Lowest max fee per gas, in wei, accepted on the paid lane (must be at least 1).</summary>
    public ulong MinFeePerGasWei { get; set; } = 1_000_000;
}
