using Microsoft.Extensions.Time.Testing;
using Sequencer.Replication;

namespace Sequencer.Tests.Replication;

public sealed class LeadershipStateTests
{
    [Fact]
    public void A_leader_whose_lease_may_have_ended_is_not_leader_even_before_the_election_notices()
    {
        var time = new FakeTimeProvider();
        var state = new LeadershipState(time);
        state.BecomeLeader(41, "a", "http://a", time.GetTimestamp() + time.TimestampFrequency);

        Assert.True(state.IsLeader);
        Assert.Equal(41, state.LeaderEpoch);

        // As after a SIGSTOP of the process past its lease: nothing ran, the clock did.
        time.Advance(TimeSpan.FromSeconds(1));

        Assert.False(state.IsLeader);
        Assert.Null(state.LeaderEpoch);
        Assert.Equal(ReplicaRole.Leader, state.Current.Role);
    }

    [Fact]
    public void A_leader_leads_a_committed_term_only_once_its_log_says_so_and_only_while_its_lease_holds()
    {
        var time = new FakeTimeProvider();
        var state = new LeadershipState(time);
        state.BecomeLeader(9, "a", "http://a", time.GetTimestamp() + time.TimestampFrequency);
        Assert.False(state.LeadsCommittedTerm);

        state.TermCommitted(9);
        Assert.True(state.LeadsCommittedTerm);

        // A later term starts uncommitted again; an earlier term's report changes nothing.
        state.BecomeLeader(11, "a", "http://a", time.GetTimestamp() + time.TimestampFrequency);
        state.TermCommitted(9);
        Assert.False(state.LeadsCommittedTerm);
        state.TermCommitted(11);
        Assert.True(state.LeadsCommittedTerm);

        time.Advance(TimeSpan.FromSeconds(1));
        Assert.False(state.LeadsCommittedTerm);
    }

    [Fact]
    public void A_renewed_lease_keeps_the_leader_and_a_later_expiry_never_moves_back()
    {
        var time = new FakeTimeProvider();
        var state = new LeadershipState(time);
        var start = time.GetTimestamp();
        state.BecomeLeader(7, "a", "http://a", start + time.TimestampFrequency);

        state.ExtendLease(start + 3 * time.TimestampFrequency);
        state.ExtendLease(start + 2 * time.TimestampFrequency);
        time.Advance(TimeSpan.FromMilliseconds(2_500));

        Assert.True(state.IsLeader);
    }

    [Fact]
    public void Stepping_down_ends_leadership_at_once_and_tells_observers_once()
    {
        var time = new FakeTimeProvider();
        var state = new LeadershipState(time);
        var seen = new List<LeadershipSnapshot>();
        state.Changed += seen.Add;
        state.BecomeLeader(9, "a", "http://a", time.GetTimestamp() + 10 * time.TimestampFrequency);

        state.BecomeFollower(9, null, null, "resigned");
        state.BecomeFollower(9, null, null, "resigned");

        Assert.False(state.IsLeader);
        Assert.Equal([ReplicaRole.Leader, ReplicaRole.Follower], seen.Select(s => s.Role));
        Assert.Equal(1, state.ElectionsWon);
    }
}
