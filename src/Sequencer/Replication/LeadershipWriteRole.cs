using Sequencer.Sequencing;

namespace Sequencer.Replication;

/// <summary>The core's write role in a replica set: it sequences only while <see cref="LeadershipState.IsLeader"/>.</summary>
internal sealed class LeadershipWriteRole(LeadershipState leadership) : IWriteRole
{
    public bool MaySequence => leadership.IsLeader;

    public string? LeaderUrl => leadership.Current.LeaderUrl;
}
