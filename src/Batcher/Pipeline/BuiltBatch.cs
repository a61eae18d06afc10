namespace Batcher.Pipeline;

/// <summary>An encoded batch and where it leaves the chain; <see cref="TxRoot"/> is the Merkle root appendBatch commits (Primitives.Chain.TransactionTree); the batch consumes forced-queue entries [ForcedFrom, ForcedThrough).</summary>
public sealed record BuiltBatch(
    ulong Index,
    ulong FirstBlock,
    ulong LastBlock,
    ulong NextSequence,
    byte[] Bytes,
    byte[] Hash,
    byte[] EndAccumulator,
    long RawBytes,
    int TransactionCount,
    byte[] TxRoot,
    ulong ForcedFrom = 0,
    ulong ForcedThrough = 0);
