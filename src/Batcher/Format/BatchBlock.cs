namespace Batcher.Format;

/// <summary>A block as a batch carries it: what re-derivation needs, nothing the accumulator already commits to.</summary>
public sealed record BatchBlock(ulong Number, ulong Timestamp, IReadOnlyList<byte[]> Transactions);
