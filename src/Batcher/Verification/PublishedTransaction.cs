namespace Batcher.Verification;

/// <summary>A transaction as the published chain (L1 + DA) places it.</summary>
public sealed record PublishedTransaction(ulong Sequence, string TxHash, ulong BlockNumber, uint Index, ulong Timestamp, string Accumulator, ulong BatchIndex);
