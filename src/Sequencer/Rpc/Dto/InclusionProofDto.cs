namespace Sequencer.Rpc.Dto;

/// <summary>
/// sequencer_getInclusionProof's answer (docs/rpc.md): the leaf and sibling path that prove a transaction's place in a
/// posted batch, in the shape BatchInbox.proveEquivocation takes as its proof (batchIndex, postedTxHash,
/// postedAccumulator, siblings).
/// </summary>
public sealed class InclusionProofDto
{
    public required string TxHash { get; init; }

    public required string Sequence { get; init; }

    public required string BatchIndex { get; init; }

    public required string FirstSequence { get; init; }

    public required string TxCount { get; init; }

    /// <summary>The batch's root as the inbox stores it.</summary>
    public required string TxRoot { get; init; }

    /// <summary>The leaf's accumulator: the accumulator after this transaction.</summary>
    public required string Accumulator { get; init; }

    /// <summary>Sibling hashes, bottom up; the leaf's position is sequence − firstSequence.</summary>
    public required IReadOnlyList<string> Siblings { get; init; }

    public required string Inbox { get; init; }

    /// <summary>The L1 block the inbox was read at (the newest with the poster's confirmation depth).</summary>
    public required string L1Block { get; init; }
}
