namespace Sequencer.Replication;

/// <summary>
/// This node's leadership, as the election sees it: the current <see cref="LeadershipSnapshot"/>, a change event, and
/// <see cref="IsLeader"/>, which also checks the lease's validity against the clock. That check does not wait for the
/// election loop: a leader whose process was paused past its lease, or whose keep-alives stopped getting through, is
/// no longer leader from the instant its lease may have ended, before anything else runs.
/// </summary>
public sealed class LeadershipState
{
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private LeadershipSnapshot _current = LeadershipSnapshot.Initial;
    private long _leaseValidUntil;
    private long _highestEpoch;
    private long _committedTerm = -1;

    public LeadershipState(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
    }

    /// <summary>Raised after every change of role, epoch or known leader (on the election's thread: keep handlers short).</summary>
    public event Action<LeadershipSnapshot>? Changed;

    public LeadershipSnapshot Current => Volatile.Read(ref _current);

    /// <summary>True while this node leads and its lease is certainly still alive in etcd.</summary>
    public bool IsLeader
    {
        get
        {
            lock (_lock)
            {
                return _current.Role == ReplicaRole.Leader && _time.GetTimestamp() < _leaseValidUntil;
            }
        }
    }

    /// <summary>The epoch this node leads with, or null when it does not lead (see <see cref="IsLeader"/>).</summary>
    public long? LeaderEpoch
    {
        get
        {
            lock (_lock)
            {
                return _current.Role == ReplicaRole.Leader && _time.GetTimestamp() < _leaseValidUntil ? _current.Epoch : null;
            }
        }
    }

    /// <summary>
    /// True while this node leads (<see cref="IsLeader"/>) and its term has committed: MinAcks replicas acknowledged, in this
    /// term, everything it held when it won (<see cref="TermCommitted"/>). What may wait until then (the batcher) stays
    /// off the takeover's path to the term's first confirmation.
    /// </summary>
    public bool LeadsCommittedTerm
    {
        get
        {
            lock (_lock)
            {
                return _current.Role == ReplicaRole.Leader && _time.GetTimestamp() < _leaseValidUntil && _committedTerm == _current.Epoch;
            }
        }
    }

    /// <summary>The replicated log: MinAcks replicas hold, in <paramref name="epoch"/>, everything this node held when it won it.</summary>
    internal void TermCommitted(long epoch)
    {
        lock (_lock)
        {
            if (epoch > _committedTerm)
            {
                _committedTerm = epoch;
            }
        }
    }

    /// <summary>When each step of this node's last takeover happened; null before it first won.</summary>
    public TakeoverTimeline? LastTakeover { get; private set; }

    /// <summary>Elections this node won since it started.</summary>
    public long ElectionsWon { get; private set; }

    /// <summary>Elections this node has seen since it started: each time it learnt of a leader with a higher epoch (its own wins included).</summary>
    public long ElectionsSeen { get; private set; }

    /// <summary>Under the lock: count an election when <paramref name="epoch"/> is newer than any seen before.</summary>
    private void SeeEpoch(long epoch)
    {
        if (epoch > _highestEpoch)
        {
            _highestEpoch = epoch;
            ElectionsSeen++;
        }
    }

    /// <summary>This node won: it leads with <paramref name="epoch"/> until <paramref name="leaseValidUntil"/> (a <see cref="TimeProvider"/> timestamp) unless renewed.</summary>
    internal void BecomeLeader(long epoch, string nodeId, string url, long leaseValidUntil, TakeoverTimeline? takeover = null)
    {
        LeadershipSnapshot next;
        lock (_lock)
        {
            LastTakeover = takeover ?? LastTakeover;
            _leaseValidUntil = leaseValidUntil;
            next = new LeadershipSnapshot(ReplicaRole.Leader, epoch, nodeId, url, "won the election");
            _current = next;
            ElectionsWon++;
            SeeEpoch(epoch);
        }

        Changed?.Invoke(next);
    }

    /// <summary>A keep-alive was answered: the lease is alive until <paramref name="leaseValidUntil"/>.</summary>
    internal void ExtendLease(long leaseValidUntil)
    {
        lock (_lock)
        {
            if (leaseValidUntil > _leaseValidUntil)
            {
                _leaseValidUntil = leaseValidUntil;
            }
        }
    }

    /// <summary>Not leading. Publishes only when something an observer can see changed.</summary>
    internal void BecomeFollower(long epoch, string? leaderNodeId, string? leaderUrl, string reason)
    {
        var next = new LeadershipSnapshot(ReplicaRole.Follower, epoch, leaderNodeId, leaderUrl, reason);
        lock (_lock)
        {
            _leaseValidUntil = 0;
            SeeEpoch(epoch);
            if (_current == next)
            {
                return;
            }

            _current = next;
        }

        Changed?.Invoke(next);
    }
}
