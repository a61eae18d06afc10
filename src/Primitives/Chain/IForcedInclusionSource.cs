namespace Primitives.Chain;

/// <summary>
/// Where the batcher learns which forced-queue entries the sequencer has judged, so that each batch states the
/// entries it consumes (appendBatch's <c>forcedThrough</c>). Absent when the sequencer does not follow L1.
/// </summary>
public interface IForcedInclusionSource
{
    /// <summary>
    /// Every judged entry, in queue order from index 0, whose <see cref="ForcedInclusionDecision.Position"/> is below
    /// <paramref name="endSequence"/>. Sequences below <paramref name="endSequence"/> must be sealed already: an entry
    /// being judged while this is called is waited for, and one judged later has a position at or past it.
    /// </summary>
    ValueTask<IReadOnlyList<ForcedInclusionDecision>> DecidedBeforeAsync(ulong endSequence, CancellationToken cancellationToken);

    /// <summary>The judged entries <paramref name="from"/> to <paramref name="through"/> (exclusive), to build a batch made before again.</summary>
    IReadOnlyList<ForcedInclusionDecision> Decided(ulong from, ulong through);
}
