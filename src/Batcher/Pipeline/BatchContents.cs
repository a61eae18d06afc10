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
}
