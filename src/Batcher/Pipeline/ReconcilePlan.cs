using Batcher.L1;

namespace Batcher.Pipeline;

/// <summary>What a reconciliation with the inbox changes in the checkpoint, and the batches to post again.</summary>
public sealed class ReconcilePlan
{
    /// <summary>L1 as the plan was made from it.</summary>
    public required L1View View { get; init; }

    /// <summary>What L1 disagreed about and what is done about it; empty when L1 agrees with the checkpoint.</summary>
    public List<string> Findings { get; } = [];

    /// <summary>
    /// The inbox is ahead of a lost or older checkpoint with nothing in flight (or, in a replica set, posts of an earlier
    /// lead in flight, dropped): continue where it stands.
    /// </summary>
    public bool AdoptInbox { get; set; }

    /// <summary>Posts that stay in flight: those the inbox holds (their confirmation depth is still tracked) and those that can still be mined in order.</summary>
    public List<PostRecord> InFlight { get; } = [];

    public long? LastConfirmedBatch { get; set; }

    /// <summary>Cleared when the newest confirmed post is no longer on L1.</summary>
    public ConfirmedPost? ConfirmedPost { get; set; }

    /// <summary>Nonce of the first post again and the posts after it.</summary>
    public ulong? NextNonce { get; set; }

    /// <summary>Batches to post again, in index order, with consecutive nonces from <see cref="NextNonce"/>.</summary>
    public List<LostBatch> Reposts { get; } = [];

    /// <summary>Given-up transactions that may still wait in a node's pool, by nonce: a new post under that nonce outbids them.</summary>
    public Dictionary<ulong, SignedPost> Replacing { get; } = [];

    /// <summary>
    /// First batch index the journal has no line for (a data directory from before the journal was kept with L1 on):
    /// batches from here on are built again from the sealed blocks, starting at <see cref="RewindBlock"/>.
    /// </summary>
    public ulong? RewindIndex { get; set; }

    public ulong RewindBlock { get; set; }

    public bool Changed => Findings.Count > 0;
}
