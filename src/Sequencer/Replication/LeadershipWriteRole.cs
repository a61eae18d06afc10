using Sequencer.Sequencing;

namespace Sequencer.Replication;

/// <summary>The core's write role in a replica set: it sequences only while <see cref="LeadershipState.IsLeader"/>.</summary>
internal sealed class LeadershipWriteRole(LeadershipState leadership) : IWriteRole, Batcher.Hosting.IBatchingRole
{
    /// <summary>The batcher runs on the leader only (docs/replication.md, "Batcher on the leader only").</summary>
    public bool MayBatch => leadership.IsLeader;

    public bool MaySequence => leadership.IsLeader;

    public string? LeaderUrl => leadership.Current.LeaderUrl;
}
