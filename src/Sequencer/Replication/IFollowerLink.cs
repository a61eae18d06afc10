namespace Sequencer.Replication;

/// <summary>What the replicated log needs of a link to one follower (<see cref="FollowerLink"/>; a double in tests).</summary>
internal interface IFollowerLink
{
    /// <summary>The follower made everything below this durable.</summary>
    event Action<long>? Acknowledged;

    /// <summary>The writer's thread: queue a group for the follower.</summary>
    void Ship(ShippedGroup group);

    /// <summary>The set holds everything below <paramref name="end"/> (the commit index): tell the follower.</summary>
    void CommitAdvanced(long end);
}
