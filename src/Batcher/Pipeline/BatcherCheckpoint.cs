using Batcher.L1;

namespace Batcher.Pipeline;

/// <summary>
/// Where the batcher stands, saved after every batch: the next batch to build and the posts
/// still on their way to L1. A restarted batcher continues from here, so nothing is skipped
/// and nothing is posted twice.
/// </summary>
public sealed class BatcherCheckpoint
{
    public ulong NextBatchIndex { get; set; }

    /// <summary>First block of the next batch (block 0 is genesis and is never batched).</summary>
    public ulong NextBlock { get; set; } = 1;

    /// <summary>Sequence number of the next batch's first transaction.</summary>
    public ulong NextSequence { get; set; }

    /// <summary>Accumulator after the last batched transaction, 0x-hex.</summary>
    public string ParentAccumulator { get; set; } = "0x" + new string('0', 64);

    /// <summary>First forced-queue entry the next batch consumes (the last batch's forcedThrough).</summary>
    public ulong NextForcedIndex { get; set; }

    /// <summary>Nonce for the next post; null until the first post.</summary>
    public ulong? NextNonce { get; set; }

    public long? LastConfirmedBatch { get; set; }

    /// <summary>The newest post confirmed with a receipt: L1 must keep its nonce used and its receipt (else L1 lost it).</summary>
    public ConfirmedPost? ConfirmedPost { get; set; }

    /// <summary>Posts sent (or about to be sent) and not yet confirmed, in batch order.</summary>
    public List<PostRecord> InFlight { get; set; } = [];
}
