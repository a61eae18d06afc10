using Primitives;
using Sequencer.Log;
using Sequencer.Replication;
using Sequencer.Tests.Sequencing;
using TestInfrastructure.Time;

namespace Sequencer.Tests.Replication;

/// <summary>The leader's log in a set of three (MinAcks 2): an in-memory local log, follower links as doubles, fake time.</summary>
public sealed class ReplicatedTransactionLogTests : IDisposable
{
    private static readonly TimeSpan AckTimeout = TimeSpan.FromMilliseconds(1_000);

    private readonly TimerWatchingTime _time = new();
    private readonly RecordingLink _b = new();
    private readonly RecordingLink _c = new();
    private readonly List<long> _reported = [];
    private readonly List<Exception> _failures = [];
    private readonly List<long> _committedTerms = [];
    private int _recovered;
    private long? _epoch = 28;
    private readonly ReplicatedTransactionLog _log;

    public ReplicatedTransactionLogTests()
    {
        _log = new ReplicatedTransactionLog(
            (durable, failure, recovered) => new MemoryTransactionLog(0, durable, failure, recovered), [_b, _c], () => _epoch, minAcks: 2,
            AckTimeout, _time, nextSequence: 0, _reported.Add, _failures.Add, () => _recovered++, onTermCommitted: _committedTerms.Add);
    }

    [Fact]
    public void A_group_durable_on_the_leader_alone_is_not_reported_durable_until_a_follower_acknowledges_it()
    {
        Append(0, 3);
        _log.Commit();

        Assert.Empty(_reported);
        var shipped = Assert.Single(_b.Groups);
        Assert.Equal((28L, 0L, 3L), (shipped.Epoch, shipped.First, shipped.End));
        Assert.Single(_c.Groups);

        _c.Ack(3);

        Assert.Equal([3L], _reported);
        Assert.Equal(3, _log.DurableEndSequence);
    }

    [Fact]
    public void An_acknowledgement_of_part_of_the_groups_releases_only_that_part()
    {
        Append(0, 2);
        _log.Commit();
        Append(2, 2);
        _log.Commit();

        _b.Ack(2);

        Assert.Equal([2L], _reported);
        Assert.Equal(2, _b.Groups.Count);
    }

    [Fact]
    public void A_group_committed_without_a_valid_lease_is_never_shipped_nor_reported_and_its_callers_hear_it_at_the_deadline()
    {
        _epoch = null;
        Append(0, 1);
        _log.Commit();

        Assert.Empty(_b.Groups);
        Assert.Empty(_c.Groups);
        _time.Advance(AckTimeout);

        Assert.Empty(_reported);
        var failure = Assert.IsType<ReplicationShortfallException>(Assert.Single(_failures));
        Assert.Contains("fewer than MinAcks = 2", failure.Message, StringComparison.Ordinal);
        Assert.Same(failure, _log.Failure);
    }

    [Fact]
    public void A_group_appended_while_the_lease_is_uncertain_never_carries_an_epoch_below_the_logs_last_nor_the_term_it_leads()
    {
        // A fresh process (nothing stamped yet) whose log ends in epoch 26, and whose lease lapses before its first group.
        _log.ResumeEpoch(26);
        _epoch = null;
        Append(0, 1);
        Assert.Equal(26, _log.LastStampedEpoch);

        // It won epoch 31 and the lease lapsed again before the next group: the group is the term's.
        _log.Lead(31);
        _log.Commit();
        Append(1, 1);
        Assert.Equal(31, _log.LastStampedEpoch);
        Assert.Empty(_b.Groups);
    }

    [Fact]
    public void Without_acknowledgements_within_the_deadline_the_log_fails_and_recovers_once_a_follower_catches_up()
    {
        Append(0, 1);
        _log.Commit();
        _time.Advance(AckTimeout / 2);
        Assert.Empty(_failures);

        _time.Advance(AckTimeout / 2);

        Assert.IsType<ReplicationShortfallException>(Assert.Single(_failures));
        Assert.Empty(_reported);

        _b.Ack(1);

        Assert.Equal([1L], _reported);
        Assert.Null(_log.Failure);
        Assert.Equal(1, _recovered);
    }

    [Fact]
    public void A_deposed_leader_short_of_acknowledgements_clears_the_shortfall_of_its_own_term_once_it_follows_another_leader()
    {
        // Paused past its lease: what it sequenced on waking was never shipped, so never acknowledged; it is in shortfall.
        Append(0, 2);
        _log.Commit();
        _epoch = null;
        Append(2, 1);
        _log.Commit();
        _time.Advance(AckTimeout);
        Assert.IsType<ReplicationShortfallException>(_log.Failure);

        // Another leader sends it records: its own term's groups can never be acknowledged now (followers refuse its epoch),
        // so they are no reason to refuse the new leader's records; the unacknowledged tail is cut at the next start.
        _log.Follow();

        Assert.Null(_log.Failure);
        Assert.Equal(1, _recovered);
        _time.Advance(AckTimeout * 2);
        Assert.Single(_failures);
        Assert.Empty(_reported);
    }

    [Fact]
    public void A_leader_short_of_acknowledgements_that_wins_again_lets_go_of_its_earlier_terms_shortfall_and_confirms_only_on_acknowledgements()
    {
        Append(0, 2);
        _log.Commit();
        _time.Advance(AckTimeout);
        Assert.IsType<ReplicationShortfallException>(_log.Failure);

        // It resigned, and wins epoch 30: its epoch-28 group is no shortfall of the new term, and leading confirms nothing.
        _epoch = 30;
        _log.Lead(30);

        Assert.Null(_log.Failure);
        Assert.Equal(1, _recovered);
        Assert.Equal((1, 1), (_b.Probes, _c.Probes));

        // Announced again (each lease renewal): the same term lets nothing go, and a shortfall of it stays.
        _log.Lead(30);
        Assert.Equal((1, 1), (_b.Probes, _c.Probes));
        _time.Advance(AckTimeout * 2);
        Assert.Single(_failures);
        Assert.Empty(_reported);

        // An acknowledgement of the old term commits nothing; a write of the new term commits the tail with it.
        _c.Ack(2, epoch: 28);
        Assert.Empty(_reported);
        Append(2, 1);
        _log.Commit();
        _c.Ack(3, epoch: 30);

        Assert.Equal([3L], _reported);
    }

    [Fact]
    public void A_leader_that_wins_again_commits_its_unacknowledged_tail_once_a_follower_holds_all_of_it_in_the_new_term_with_no_write_of_it()
    {
        // The failover run's stall: every client waited on a transaction of this tail and only re-sent it (which waits),
        // so no write of the new term ever came, and the tail waited for one.
        Append(0, 3);
        _log.Commit();
        _epoch = 30;
        _log.Lead(30);

        // Caught up from the log in the new term: part of the tail is not enough (it won holding all three) ...
        _b.Ack(2, epoch: 30);
        Assert.Empty(_reported);

        // ... all of it is.
        _b.Ack(3, epoch: 30);
        Assert.Equal([3L], _reported);
        Assert.Empty(_failures);
    }

    [Fact]
    public void A_term_is_reported_committed_once_only_when_MinAcks_replicas_acknowledged_in_it_everything_held_at_the_win()
    {
        // What the batcher waits for before it starts on a new leader (LeadershipState.LeadsCommittedTerm).
        Append(0, 3);
        _log.Commit();
        _epoch = 30;
        _log.Lead(30);
        Assert.Empty(_committedTerms);

        _b.Ack(3, epoch: 28);
        Assert.Empty(_committedTerms);
        _b.Ack(2, epoch: 30);
        Assert.Empty(_committedTerms);

        _b.Ack(3, epoch: 30);
        Assert.Equal([30L], _committedTerms);
        _c.Ack(3, epoch: 30);
        Append(3, 1);
        _log.Commit();
        _c.Ack(4, epoch: 30);
        Assert.Equal([30L], _committedTerms);
    }

    [Fact]
    public void Followers_probed_ahead_of_the_win_being_announced_are_probed_once_and_their_answers_commit_only_once_it_is()
    {
        Append(0, 2);
        _log.Commit();
        _epoch = 30;

        // The host probes before the win's durable writes, then announces the win to the log.
        _log.ProbeFollowers(30);
        Assert.Equal((1, 1), (_b.Probes, _c.Probes));
        _b.Ack(2, epoch: 30);
        Assert.Empty(_reported);
        Assert.Empty(_committedTerms);

        _log.Lead(30);
        Assert.Equal((1, 1), (_b.Probes, _c.Probes));
        Assert.Equal([2L], _reported);
        Assert.Equal([30L], _committedTerms);
    }

    [Fact]
    public void Acknowledgements_given_in_an_earlier_term_count_for_nothing_once_the_leader_wins_again()
    {
        // A tail of epoch 28 that no follower acknowledged in time; the node lost its lease and won epoch 30.
        Append(0, 2);
        _log.Commit();
        _epoch = 30;
        _log.Lead(30);

        // b answers an epoch-28 request late: b may not have accepted epoch 30 (and a follower that accepted it without these
        // records would outrank b at the next election), so nothing is committed on it.
        _b.Ack(2, epoch: 28);
        Assert.Empty(_reported);

        // Acknowledged again in epoch 30 (a probe's re-send of the last record): committed.
        _b.Ack(2, epoch: 30);
        Assert.Equal([2L], _reported);
    }

    [Fact]
    public void An_acknowledgement_of_the_new_term_that_came_before_the_win_was_announced_counts_once_it_is()
    {
        Append(0, 2);
        _log.Commit();
        _epoch = 30;

        // The links send as soon as the state says it leads; the log hears of the win a moment later.
        _b.Ack(2, epoch: 30);
        Assert.Empty(_reported);
        _log.Lead(30);

        Assert.Equal([2L], _reported);
    }

    [Fact]
    public void Records_a_follower_takes_from_its_leader_are_durable_at_once_but_published_only_up_to_the_leaders_commit_index()
    {
        _epoch = null;
        for (var sequence = 0; sequence < 3; sequence++)
        {
            _log.AppendReplica(Record(sequence), [1, 2, 3]);
        }

        _log.Commit();

        Assert.Equal(3, _log.LocalDurableEnd);
        Assert.Empty(_reported);
        Assert.Empty(_b.Groups);

        _log.LeaderCommitted(2);
        _log.LeaderCommitted(5); // beyond what this replica holds: published as far as it is durable here

        Assert.Equal([2L, 3L], _reported);
    }

    [Fact]
    public void A_new_leader_publishes_records_it_inherited_past_the_commit_index_only_once_a_follower_acknowledges_its_own_group()
    {
        _epoch = null;
        for (var sequence = 0; sequence < 3; sequence++)
        {
            _log.AppendReplica(Record(sequence), [1, 2, 3]);
        }

        _log.Commit();
        _log.LeaderCommitted(1);

        // It wins: the records 1 and 2 it holds were never committed, and leading does not commit them.
        _epoch = 30;
        Append(3, 1);
        _log.Commit();

        Assert.Equal([1L], _reported);
        Assert.Equal([1L], _b.Commits);

        _b.Ack(4, epoch: 30);

        Assert.Equal([1L, 4L], _reported);
        Assert.Equal([1L, 4L], _c.Commits);
    }

    public void Dispose() => _log.Dispose();

    private void Append(long first, int count)
    {
        for (var sequence = first; sequence < first + count; sequence++)
        {
            _log.Append(Record(sequence), [1, 2, 3]);
        }
    }

    private static TxLogRecord Record(long sequence) =>
        new(sequence, 1, (uint)sequence, 1_700_000_000, (ulong)sequence, 21_000, new Address(new byte[20]), Hash32.Zero);

    private sealed class RecordingLink : IFollowerLink
    {
        public event Action<long, long>? Acknowledged;

        public List<ShippedGroup> Groups { get; } = [];

        public List<long> Commits { get; } = [];

        public void Ship(ShippedGroup group) => Groups.Add(group);

        public void CommitAdvanced(long end) => Commits.Add(end);

        public int Probes { get; private set; }

        public void Probe() => Probes++;

        /// <summary>The follower answers a request of <paramref name="epoch"/> (the epoch the tests lead in unless said).</summary>
        public void Ack(long end, long epoch = 28) => Acknowledged?.Invoke(end, epoch);
    }
}
