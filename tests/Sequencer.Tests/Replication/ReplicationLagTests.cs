using Sequencer.Replication;

namespace Sequencer.Tests.Replication;

public sealed class ReplicationLagTests
{
    [Theory]
    [InlineData(100, 100, 0)] // caught up
    [InlineData(100, 0, 100)] // acknowledged nothing yet: every record
    [InlineData(100, 63, 37)] // part-way
    [InlineData(100, 104, 0)] // an acknowledgement read just ahead of the leader's end is not a negative lag
    [InlineData(0, 0, 0)]     // an empty log
    public void A_followers_lag_is_the_records_the_leader_holds_that_it_has_not_acknowledged(long leaderEnd, long acknowledged, long expected)
    {
        Assert.Equal(expected, ReplicationLag.Records(leaderEnd, acknowledged));
    }

    [Fact]
    public void Without_a_log_the_leader_end_is_zero()
    {
        Assert.Equal(0, ReplicationLag.LeaderEnd(null));
    }
}
