using Sequencer.Log;

namespace Sequencer.Replication;

/// <summary>
/// The core's log in a replica set (docs/replication.md, "MinAcks gating"): the local write-ahead log, plus every group
/// the leader commits handed to each follower's link at the same time as to the local fsync. The durable end it reports
/// to the core — which is what releases soft confirmations — is the end covered by the local fsync <b>and</b>
/// MinAcks − 1 followers' acknowledgements: the commit index. On a follower it is the leader's commit index, as far as
/// this replica's own log is known to hold the leader's records (docs/replication.md, "Commit index"): a follower makes
/// durable what its leader sends at once (its acknowledgement counts toward MinAcks), but publishes, serves and signs it
/// only once the leader says the set holds it. A record short of MinAcks can be cut at a takeover and its sequence given
/// to another transaction; a signature for it on any replica would be a second signature for that sequence.
/// </summary>
/// <remarks>
/// A group that is not acknowledged within the deadline makes the log fail with <see cref="ReplicationShortfallException"/>:
/// the core answers the waiting callers and new writes with -32005 <c>replication</c> until acknowledgements catch up.
/// A group committed while the node no longer holds a valid lease is never shipped, so it is never confirmed.
/// </remarks>
internal sealed class ReplicatedTransactionLog : ITransactionLog
{
    private readonly ITransactionLog _local;
    private readonly IReadOnlyList<IFollowerLink> _followers;
    private readonly Func<long?> _epoch;
    private readonly int _minAcks;
    private readonly TimeSpan _ackTimeout;
    private readonly TimeProvider _time;
    private readonly Action<long> _onDurable;
    private readonly Action<Exception> _onFailure;
    private readonly Action _onRecovered;
    private readonly Lock _lock = new();
    private readonly Queue<(long First, long End, long CommittedAt, long Epoch)> _pending = new();
    private readonly long[] _acked;
    private readonly long[] _ackEpochs; // the epoch of the requests each follower's _acked answered
    private readonly ITimer _deadline;
    private readonly CommitIndexFile? _commitFile;
    private readonly Sequencing.DurableWatermark _localWatermark;
    private readonly Lock _persisting = new();
    private MemoryStream _group = new();
    private long _groupFirst = -1;
    private long _groupEnd;
    private long? _groupEpoch;
    private long _lastEpoch;
    private long _localDurable;
    private long _reported;
    private long _leaderCommit; // the commit index learned from a leader (or stored before a restart)
    private ReplicationShortfallException? _shortfall;
    private long _shippedEpoch = -1; // the epoch of the last group shipped
    private long _ledEpoch = -1; // the last epoch Lead was called with
    private long _termFirstEnd; // acknowledgements of the current term count only from this end on (see Lead)
    private long _probedEpoch = -1; // the last term whose followers were probed (ProbeFollowers)
    private long _committedTerm = -1; // the last term whose acknowledgements covered _termFirstEnd (reported once)
    private readonly Action<long>? _onTermCommitted;

    public ReplicatedTransactionLog(
        Func<Action<long>, Action<Exception>, Action, ITransactionLog> openLocal, IReadOnlyList<IFollowerLink> followers,
        Func<long?> epoch, int minAcks, TimeSpan ackTimeout, TimeProvider time, long nextSequence,
        Action<long> onDurable, Action<Exception> onFailure, Action onRecovered, CommitIndexFile? commitFile = null,
        Action<long>? onTermCommitted = null)
    {
        _onTermCommitted = onTermCommitted;
        _followers = followers;
        _epoch = epoch;
        _minAcks = minAcks;
        _ackTimeout = ackTimeout;
        _time = time;
        _onDurable = onDurable;
        _onFailure = onFailure;
        _onRecovered = onRecovered;
        _acked = new long[followers.Count];
        _ackEpochs = new long[followers.Count];
        Array.Fill(_ackEpochs, -1L);
        _localDurable = nextSequence;
        _localWatermark = new Sequencing.DurableWatermark(nextSequence);

        // After a restart only what the set had committed (as far as this replica last knew) is published; the rest of the
        // log waits for a leader's commit index. Without a file (a double in unit tests) the whole log counts as committed.
        _commitFile = commitFile;
        _reported = _leaderCommit = commitFile is null ? nextSequence : Math.Min(nextSequence, commitFile.Read());
        for (var i = 0; i < followers.Count; i++)
        {
            var index = i;
            followers[i].Acknowledged += (end, epoch) => OnAck(index, end, epoch);
        }

        _local = openLocal(OnLocalDurable, onFailure, onRecovered);
        var tick = ackTimeout / 4;
        _deadline = time.CreateTimer(_ => CheckDeadline(), null, tick, tick);
    }

    /// <summary>The commit index: sequences below are on MinAcks replicas, and this replica publishes them.</summary>
    public long DurableEndSequence => Volatile.Read(ref _reported);


    /// <summary>The end durable in this node's own log, acknowledged or not (what followers' lag is measured against).</summary>
    public long LocalDurableEnd => Volatile.Read(ref _localDurable);

    public long FsyncCount => _local.FsyncCount;

    public long BytesWritten => _local.BytesWritten;

    public TimeSpan LastFsyncDuration => _local.LastFsyncDuration;

    public Exception? Failure => _local.Failure ?? Volatile.Read(ref _shortfall);

    public string Directory => _local.Directory;

    /// <summary>
    /// Stamps the record with this node's epoch as leader (docs/replication.md, "Epochs in the log"), read at the group's
    /// first record. A node whose lease is no longer certain stamps the epoch it last led in (never one below its log's
    /// last: a fresh process that won and lost its lease before its first group stamped 0 after epoch-56 records, and
    /// every follower refused them for good); such a group is never shipped (<see cref="Commit"/>), so it is the
    /// unacknowledged tail a later leader has cut.
    /// </summary>
    public void Append(in TxLogRecord record, ReadOnlySpan<byte> raw)
    {
        if (_groupFirst < 0)
        {
            _groupFirst = record.Sequence;
            _groupEpoch = _epoch();
            Volatile.Write(ref _lastEpoch, _groupEpoch ?? Math.Max(_lastEpoch, Volatile.Read(ref _ledEpoch)));
        }

        var stamped = record with { Epoch = _lastEpoch };
        _local.Append(stamped, raw);
        _groupEnd = record.Sequence + 1;
        ReplicationWire.AppendRecord(_group, stamped, raw);
    }

    public void AppendReplica(in TxLogRecord record, ReadOnlySpan<byte> raw) => _local.Append(record, raw);

    /// <summary>The epoch this node last stamped its own records with as leader (0: none): its log's last epoch when it led last.</summary>
    public long LastStampedEpoch => Volatile.Read(ref _lastEpoch);

    /// <summary>After recovery: the epoch of the last record in the log, below which no record of this node is stamped.</summary>
    public void ResumeEpoch(long lastLoggedEpoch)
    {
        if (lastLoggedEpoch > Volatile.Read(ref _lastEpoch))
        {
            Volatile.Write(ref _lastEpoch, lastLoggedEpoch);
        }
    }

    /// <summary>
    /// Another leader sends this replica records: the groups it committed while it led and that were not acknowledged then
    /// never will be (every replica that accepted the newer epoch refuses the older one), and their records are either the
    /// new leader's too or a tail cut at the next start. Waiting for them would keep the shortfall (and the refusal of
    /// every record from the new leader) for good: a leader paused past its lease could never rejoin.
    /// </summary>
    public void Follow()
    {
        var recovered = false;
        lock (_lock)
        {
            _pending.Clear();
            if (_shortfall is not null)
            {
                Volatile.Write(ref _shortfall, null);
                recovered = true;
            }
        }

        if (recovered)
        {
            _onRecovered();
        }
    }

    /// <summary>
    /// This node won <paramref name="epoch"/>: the groups of its earlier terms that were not acknowledged then never will be
    /// in their epoch (the followers accepted a newer one), so they are no shortfall of this term. Their records are in this
    /// node's log, the head the gate let win: the links catch the followers up on them (<see cref="IFollowerLink.Probe"/>),
    /// and they are confirmed once MinAcks replicas hold all of them <b>in this term</b> (docs/replication.md, "Takeover"):
    /// counted are only acknowledgements of requests of this epoch, which the follower took after accepting it, and only
    /// once they cover everything this node held when it won — as a Raft leader's no-op entry at the end of its log does.
    /// Acknowledgements of an earlier term count for nothing now, however many: a follower that took the tail then may
    /// since have accepted this epoch without it, and would then outrank them at the next election.
    /// Nothing is published here. Without this, a leader re-elected with an unacknowledged tail would refuse every write
    /// and resign again, forever; and when it waited for a write of the new term to commit the tail (before), clients that
    /// only re-send the tail's transactions (which wait for it) waited for good: the failover run's 60 s stall.
    /// </summary>
    public void Lead(long epoch)
    {
        var recovered = false;
        lock (_lock)
        {
            // The leadership state is announced again at every lease renewal: only a new term lets anything go.
            if (epoch <= _ledEpoch)
            {
                return;
            }

            _ledEpoch = epoch;
            while (_pending.TryPeek(out var head) && head.Epoch < epoch)
            {
                _pending.Dequeue();
            }

            if (_shippedEpoch < epoch)
            {
                // Everything durable here now: what this node inherited (records still being written are inherited too, and
                // commit when acknowledged in this term). A group of this term shipped before this call set it already.
                _termFirstEnd = _localDurable;
            }

            if (_shortfall is not null)
            {
                Volatile.Write(ref _shortfall, null);
                recovered = true;
            }

            // Acknowledgements of this term that came before this call (the links send as soon as the state says it leads).
            Recompute();
        }

        if (recovered)
        {
            _onRecovered();
        }

        ProbeFollowers(epoch);
    }

    /// <summary>
    /// This node won <paramref name="epoch"/>: each link asks its follower where it stands and catches it up
    /// (<see cref="IFollowerLink.Probe"/>), once per term. Called before <see cref="Lead"/> too, ahead of the win's durable
    /// writes, so that the round trip overlaps them: what the answers bring counts only once <see cref="Lead"/> has run.
    /// </summary>
    public void ProbeFollowers(long epoch)
    {
        lock (_lock)
        {
            if (epoch <= _probedEpoch)
            {
                return;
            }

            _probedEpoch = epoch;
        }

        foreach (var follower in _followers)
        {
            follower.Probe();
        }
    }

    /// <summary>Completes once sequences below <paramref name="end"/> are durable in this replica's own log (what a follower acknowledges).</summary>
    public Task WhenLocallyDurableAsync(long end, CancellationToken cancellationToken) => _localWatermark.WaitAsync(end, cancellationToken);

    /// <summary>
    /// A follower: the leader's commit index, already limited by the caller to what this replica's log is known to share
    /// with the leader's. Publishes up to there once it is durable here too.
    /// </summary>
    public void LeaderCommitted(long end)
    {
        lock (_lock)
        {
            if (end > _leaderCommit)
            {
                _leaderCommit = end;
                Recompute();
            }
        }
    }

    public void Commit()
    {
        if (_groupFirst < 0)
        {
            _local.Commit();
            return;
        }

        // Pending before the local commit: the local fsync may report the group durable before Commit returns, and it must
        // not count as confirmed then. The epoch is read again now: a node whose lease may have ended (or that led another
        // term when the group began) ships nothing, so nothing of this group is ever confirmed.
        var epoch = _epoch();
        if (epoch != _groupEpoch)
        {
            epoch = null;
        }

        var group = new ShippedGroup(epoch ?? -1, _groupFirst, _groupEnd, _group.GetBuffer().AsMemory(0, (int)_group.Length));
        lock (_lock)
        {
            _pending.Enqueue((group.First, group.End, _time.GetTimestamp(), group.Epoch));
            if (epoch is { } shipped && shipped != _shippedEpoch)
            {
                _shippedEpoch = shipped;
                if (shipped > _ledEpoch)
                {
                    // Before Lead for this term (or without one): its first group stands for what it inherited.
                    _termFirstEnd = group.First + 1;
                }
            }
        }

        _local.Commit();
        if (epoch is not null)
        {
            foreach (var follower in _followers)
            {
                follower.Ship(group);
            }
        }

        _group = new MemoryStream();
        _groupFirst = -1;
    }

    public void Dispose()
    {
        _deadline.Dispose();
        _local.Dispose();
        PersistCommit();
    }

    private void OnLocalDurable(long end)
    {
        lock (_lock)
        {
            _localDurable = end;
            Recompute();
        }

        _localWatermark.Advance(end);
    }

    private void OnAck(int follower, long end, long epoch)
    {
        lock (_lock)
        {
            if (epoch > _ackEpochs[follower])
            {
                (_ackEpochs[follower], _acked[follower]) = (epoch, end);
            }
            else if (epoch == _ackEpochs[follower] && end > _acked[follower])
            {
                _acked[follower] = end;
            }

            Recompute();
        }
    }

    /// <summary>Under the lock: each follower's acknowledged end in the term this node leads (or last led), 0 for one that acknowledged none in it.</summary>
    private void TermAcks(Span<long> ends)
    {
        var term = Math.Max(_ledEpoch, _shippedEpoch);
        for (var i = 0; i < _acked.Length; i++)
        {
            ends[i] = _ackEpochs[i] == term ? _acked[i] : 0;
        }
    }

    /// <summary>
    /// Under the lock, so that the core sees durable ends in order. The commit index is what MinAcks replicas hold by this
    /// node's own acknowledgements (it leads, or led) or by its leader's word, and never more than its own durable end.
    /// Records a new leader inherited beyond the commit index it knew are published once its followers acknowledge them
    /// (with its first group, or from its log), never merely because it now leads.
    /// </summary>
    private void Recompute()
    {
        // Like Raft, records of earlier terms are committed only by acknowledgements of this term that cover everything this
        // node held when it won (see Lead); acknowledgements given in an earlier term count for nothing now.
        Span<long> acked = stackalloc long[_acked.Length];
        TermAcks(acked);
        var covered = AckQuorum.End(_localDurable, acked, _minAcks);
        if (covered < _termFirstEnd)
        {
            covered = 0;
        }
        else
        {
            ReportTermCommitted(acked);
        }

        while (_pending.TryPeek(out var head) && head.End <= covered)
        {
            _pending.Dequeue();
        }

        var end = Math.Min(_localDurable, Math.Max(covered, _leaderCommit));
        if (end > _reported)
        {
            Volatile.Write(ref _reported, end);
            _onDurable(end);
            foreach (var follower in _followers)
            {
                follower.CommitAdvanced(end);
            }
        }

        if (_pending.Count == 0 && _shortfall is not null)
        {
            Volatile.Write(ref _shortfall, null);
            _onRecovered();
        }
    }

    /// <summary>
    /// Under the lock, once per term this node leads: MinAcks replicas (itself counted) hold everything it held when it won,
    /// by acknowledgements of this term (with an empty log, once MinAcks − 1 followers answered in it at all).
    /// </summary>
    private void ReportTermCommitted(ReadOnlySpan<long> acked)
    {
        var term = Math.Max(_ledEpoch, _shippedEpoch);
        if (_onTermCommitted is null || term != _ledEpoch || term <= _committedTerm || _localDurable < _termFirstEnd)
        {
            return;
        }

        var holding = 1;
        for (var i = 0; i < acked.Length; i++)
        {
            holding += _ackEpochs[i] == term && acked[i] >= _termFirstEnd ? 1 : 0;
        }

        if (holding >= _minAcks)
        {
            _committedTerm = term;
            _onTermCommitted(term);
        }
    }

    /// <summary>Stores the commit index for the next start (<see cref="CommitIndexFile"/>); a failure only leaves an older one.</summary>
    private void PersistCommit()
    {
        if (_commitFile is null || !_persisting.TryEnter())
        {
            return;
        }

        try
        {
            _commitFile.Write(Volatile.Read(ref _reported));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The log's own writes report a failing disk; an older file hides committed records for a moment, nothing more.
        }
        finally
        {
            _persisting.Exit();
        }
    }

    private void CheckDeadline()
    {
        PersistCommit();
        ReplicationShortfallException? raised = null;
        lock (_lock)
        {
            if (_shortfall is null && _pending.TryPeek(out var head) && _time.GetElapsedTime(head.CommittedAt) >= _ackTimeout)
            {
                var holding = 1;
                Span<long> acked = stackalloc long[_acked.Length];
                TermAcks(acked);
                foreach (var end in acked)
                {
                    holding += end >= head.End ? 1 : 0;
                }

                raised = new ReplicationShortfallException(
                    $"replication: fewer than MinAcks = {_minAcks} replicas (the leader counted) acknowledged sequence {head.First} " +
                    $"within {_ackTimeout.TotalMilliseconds:0} ms ({holding} hold it); it is not confirmed");
                Volatile.Write(ref _shortfall, raised);
            }
        }

        if (raised is not null)
        {
            _onFailure(raised);
        }
    }
}
