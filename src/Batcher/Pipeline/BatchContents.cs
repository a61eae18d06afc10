using Primitives.Chain;

namespace Batcher.Pipeline;

/// <summary>
/// The blocks chosen for one batch, before encoding. Everything the encoder needs is here (the parent
/// accumulator comes from the sealed blocks, not from the previous batch's bytes), so several batches
/// can be encoded at once.
/// </summary>
public sealed record BatchContents(
    ulong Index,
    IReadOnlyList<SealedBlock> Blocks,
    ulong FirstSequence,
    byte[] ParentAccumulator,
    long RawBytes,
    int TransactionCount)
{
    public ulong FirstBlock => Blocks[0].Number;

    public ulong LastBlock => Blocks[^1].Number;

    public ulong NextSequence => FirstSequence + (ulong)TransactionCount;

    public byte[] EndAccumulator => Blocks[^1].Accumulator.ToArray();

    /// <summary>First forced-queue entry the batch consumes (the previous batch's <see cref="ForcedThrough"/>).</summary>
    public ulong ForcedFrom { get; init; }

    /// <summary>The forced-queue entries the batch consumes, from <see cref="ForcedFrom"/> on, in queue order.</summary>
    public IReadOnlyList<ForcedInclusionDecision> Forced { get; init; } = [];

    public ulong ForcedThrough => ForcedFrom + (ulong)Forced.Count;
}
