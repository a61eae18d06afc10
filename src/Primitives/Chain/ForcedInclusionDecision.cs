namespace Primitives.Chain;

/// <summary>
/// What the sequencer made of one forced-inclusion queue entry (docs/l1.md, "Forced inclusion"): included at
/// <see cref="Sequence"/>, or skipped for <see cref="Outcome"/>. Plain data so that the batcher, which states the
/// entries each batch consumes, never depends on the host.
/// </summary>
/// <param name="QueueIndex">The entry's index in the inbox's forced queue.</param>
/// <param name="TxHash">keccak256 of the queued bytes.</param>
/// <param name="Position">
/// The chain's next sequence when the entry was judged: a skipped entry was judged against the chain of sequences
/// below it. Never decreases in queue order. A batch whose transactions end at sequence E consumes exactly the entries
/// with <c>Position &lt; E</c> that no earlier batch consumed.
/// </param>
/// <param name="Outcome">0 = included; otherwise the reason it was skipped (docs/batch-format.md, "Forced entries").</param>
/// <param name="Sequence">Included: the transaction's sequence number. Skipped: equal to <paramref name="Position"/>.</param>
public sealed record ForcedInclusionDecision(ulong QueueIndex, Hash32 TxHash, ulong Position, byte Outcome, ulong Sequence)
{
    public const byte Included = 0;

    public bool IsIncluded => Outcome == Included;
}
