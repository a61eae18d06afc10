using Sequencer.Log;

namespace Sequencer.Replication;

/// <summary>How far one follower is behind the leader, in records.</summary>
internal static class ReplicationLag
{
    /// <summary>What lag is measured against: the end durable in the leader's own log, whether or not followers acknowledged it.</summary>
    public static long LeaderEnd(ITransactionLog? log) => log switch
    {
        null => 0,
        ReplicatedTransactionLog replicated => replicated.LocalDurableEnd,
        _ => log.DurableEndSequence,
    };

    /// <param name="leaderEnd">The end (next sequence) durable in the leader's own log.</param>
    /// <param name="acknowledgedEnd">The end the follower acknowledged durable (0 for none yet).</param>
    /// <returns>Records the follower still lacks; never negative (a follower's acknowledgement may be read just ahead of the leader's end).</returns>
    public static long Records(long leaderEnd, long acknowledgedEnd) => Math.Max(0, leaderEnd - acknowledgedEnd);
}
