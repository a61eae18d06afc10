namespace Batcher.L1;

/// <summary>One signed L1 transaction for a post; a post gains more of these when its fees are bumped.</summary>
public sealed record SignedPost(string TxHash, string RawTransaction, string MaxFeePerGas, string MaxPriorityFeePerGas, DateTimeOffset SentAt);
