namespace Batcher.Pipeline;

/// <summary>An encoded batch and where it leaves the chain.</summary>
public sealed record BuiltBatch(
    ulong Index,
    ulong FirstBlock,
    ulong LastBlock,
    ulong NextSequence,
    byte[] Bytes,
    byte[] Hash,
    byte[] EndAccumulator,
    long RawBytes,
    int TransactionCount);
