namespace Sequencer.Replication;

/// <summary>
/// What this node knows about leadership at one moment.
/// </summary>
/// <param name="Role">This node's role.</param>
/// <param name="Epoch">
/// The fencing token of the leader this node knows of (0: none known): the etcd revision at which that leader created the
/// leader key. Every election won later has a higher one.
/// </param>
/// <param name="LeaderNodeId">The leader's node id, null when no leader is known.</param>
/// <param name="LeaderUrl">The leader's advertised URL, null when no leader is known.</param>
/// <param name="Reason">Why the role is what it is (e.g. "won the election", "lease expired", "recovering").</param>
public sealed record LeadershipSnapshot(ReplicaRole Role, long Epoch, string? LeaderNodeId, string? LeaderUrl, string Reason)
{
    public static LeadershipSnapshot Initial { get; } = new(ReplicaRole.Follower, 0, null, null, "starting");
}
