using Sequencer.Replication;

namespace Sequencer.Tests.Replication;

public sealed class AckQuorumTests
{
    [Theory]
    [InlineData(100, new long[] { 0, 0 }, 2, 0)]        // three replicas, nobody acknowledged: nothing confirmed
    [InlineData(100, new long[] { 60, 0 }, 2, 60)]      // one follower is enough for a majority of three
    [InlineData(50, new long[] { 60, 80 }, 2, 50)]      // never past the leader's own fsync
    [InlineData(100, new long[] { 60, 80 }, 3, 60)]     // all three: the slowest follower counts
    [InlineData(100, new long[] { 10, 90, 70, 30 }, 3, 70)] // five replicas: the second-best follower
    [InlineData(100, new long[] { 0, 0 }, 1, 100)]      // MinAcks 1: the leader's disk alone
    [InlineData(100, new long[] { 90 }, 3, 0)]          // more acks needed than followers exist: never
    public void The_acknowledged_end_is_covered_by_the_leader_and_MinAcks_minus_one_followers(long leader, long[] followers, int minAcks, long expected)
    {
        Assert.Equal(expected, AckQuorum.End(leader, followers, minAcks));
    }
}
