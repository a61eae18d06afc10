namespace Sequencer.Replication;

/// <summary>
/// Where the set's acknowledged head is: the highest end that the leader's own fsync and at least MinAcks − 1 followers'
/// acknowledgements all cover (docs/replication.md, "MinAcks gating").
/// </summary>
internal static class AckQuorum
{
    /// <param name="leaderDurable">The end durable in the leader's own log.</param>
    /// <param name="followerEnds">Each follower's acknowledged durable end (0 for none yet).</param>
    /// <param name="minAcks">Replicas, the leader counted, that must hold a record before it is confirmed.</param>
    public static long End(long leaderDurable, ReadOnlySpan<long> followerEnds, int minAcks)
    {
        var needed = minAcks - 1;
        if (needed <= 0)
        {
            return leaderDurable;
        }

        if (needed > followerEnds.Length)
        {
            return 0;
        }

        // The needed-th highest follower end: few followers, so a copy and a sort.
        Span<long> sorted = stackalloc long[followerEnds.Length];
        followerEnds.CopyTo(sorted);
        sorted.Sort();
        return Math.Min(leaderDurable, sorted[^needed]);
    }
}
