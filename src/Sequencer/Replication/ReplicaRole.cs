namespace Sequencer.Replication;

/// <summary>What this replica does in its set.</summary>
public enum ReplicaRole
{
    /// <summary>Not leading: another node leads, nobody does, or this node may not campaign (see the snapshot's reason).</summary>
    Follower,

    /// <summary>Holds the leader key under a live lease, with the snapshot's epoch.</summary>
    Leader,
}
