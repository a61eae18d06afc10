namespace Sequencer.Replication;

/// <summary>What the replicated log needs of a link to one follower (<see cref="FollowerLink"/>; a double in tests).</summary>
internal interface IFollowerLink
{
    /// <summary>
    /// The follower made everything below the end (first argument) durable, checked equal to this node's records, in
    /// answer to a request of the epoch (second argument): the follower had accepted that epoch. Raised again for the same
    /// end when a newer epoch's request is answered (a re-elected leader counts only acknowledgements of its new term).
    /// </summary>
    event Action<long, long>? Acknowledged;

    /// <summary>The writer's thread: queue a group for the follower.</summary>
    void Ship(ShippedGroup group);

    /// <summary>The set holds everything below <paramref name="end"/> (the commit index): tell the follower.</summary>
    void CommitAdvanced(long end);

    /// <summary>
    /// This node won an election: ask the follower where it stands (a request of no records) and catch it up from this
    /// node's log past there (at least its last record again, so that the follower acknowledges in the new term), without
    /// waiting for a write of the new term: the inherited tail commits on those acknowledgements, and clients that only
    /// re-send its transactions send nothing new.
    /// </summary>
    void Probe();
}
