using Sequencer.Transactions;

namespace Sequencer.ForcedInclusion;

/// <summary>
/// The outcome byte of a skipped forced entry (docs/batch-format.md, "Forced entries"): a stateless rejection keeps
/// its <see cref="TxRejectionReason"/> number (1 to 63); the two judged against the chain have their own.
/// </summary>
internal static class ForcedSkipReason
{
    /// <summary>The sender's next nonce at the entry's position is above the transaction's nonce.</summary>
    public const byte NonceTooLow = 0x40;

    /// <summary>The sender's next nonce at the entry's position is below the transaction's nonce (a forced entry never waits for a gap).</summary>
    public const byte NonceTooHigh = 0x41;

    public static byte Of(TxRejectionReason reason) => (byte)reason;
}
