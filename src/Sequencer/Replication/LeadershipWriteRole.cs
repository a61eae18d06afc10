using Sequencer.Sequencing;

namespace Sequencer.Replication;

/// <summary>The core's write role in a replica set: it sequences only while <see cref="LeadershipState.IsLeader"/>.</summary>
internal sealed class LeadershipWriteRole(LeadershipState leadership) : IWriteRole, Batcher.Hosting.IBatchingRole
{
    /// <summary>
    /// The batcher runs on the leader only (docs/replication.md, "Batcher on the leader only"), and only once its term has
    /// committed: its start (an L1 read to reconcile with the inbox, and in a fresh process the first run of all its code)
    /// then no longer competes with the takeover's catch-up and first confirmations for the CPU (issue 12: in the slowest
    /// kill of a 20-kill run it started at the same moment). Nothing is lost by waiting: it batches only committed blocks.
    /// </summary>
    public bool MayBatch => leadership.LeadsCommittedTerm;

    public bool MaySequence => leadership.IsLeader;

    public string? LeaderUrl => leadership.Current.LeaderUrl;
}
