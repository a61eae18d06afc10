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

    /// <summary>
    /// This node won an election: ask the follower where it stands (a request of no records) and catch it up from this
    /// node's log past there, without waiting for the new term's first write (a re-sent transaction of an inherited tail
    /// would wait for one).
    /// </summary>
    void Probe();
}
