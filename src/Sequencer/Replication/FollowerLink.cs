using System.Diagnostics;
using System.Net.Http.Headers;

namespace Sequencer.Replication;

/// <summary>
/// The leader's connection to one follower: sends the groups it is handed, in order, one request in flight at a time
/// (<c>POST {url}/replication/append</c>, docs/replication.md). Groups that arrive while a request is out go together in
/// the next one, so a slow follower costs one round trip per batch of groups, never one per transaction. A group leaves
/// the link once the follower has acknowledged it durable.
/// </summary>
/// <remarks>
/// Kept in memory up to <see cref="MaxRetainedBytes"/> per follower. A follower further behind (dead, paused, new and
/// empty) catches up from this node's write-ahead log on disk (<see cref="WalCatchUp"/>): when its answer shows it lacks
/// records before the first group held here, or when the groups held for it outgrow the limit (they are let go, the log
/// has them), the link sends from the log until it reaches the groups it holds, then goes on with those. Catching up
/// acknowledges only old records, so the follower counts toward MinAcks only once it acknowledges the live tail.
/// </remarks>
internal sealed partial class FollowerLink : IFollowerLink, IAsyncDisposable
{
    public const long MaxRetainedBytes = 64L << 20;
    private const int MaxRequestBytes = 4 << 20;

    // A follower whose machine vanished leaves a connection that never answers: without a deadline its link would wait
    // forever. A retry is harmless (records the follower already holds are checked and skipped).
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);

    private readonly HttpClient _http;
    private readonly Uri _append;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private readonly LinkedList<ShippedGroup> _groups = new();
    private readonly SemaphoreSlim _work = new(0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly WalCatchUp? _log;
    private readonly Func<long> _localDurableEnd;
    private readonly Func<long?> _epoch;
    private readonly Func<long, CommitPoint?> _commitPointAt;
    private long _retainedBytes;
    private long _commit; // the leader's commit index, carried by every request
    private long _sentCommit; // the commit index the follower last took
    private long? _catchUpFrom; // set while the follower catches up from the log: the next sequence it lacks
    private string? _trouble; // the last problem logged: each is logged once, until the follower acknowledges again
    private volatile bool _probe; // this node just won: ask the follower where it stands (Probe)
    private long _ackEpoch = -1; // the epoch of the request the last acknowledgement raised answered
    private long _ackEnd; // and its end: acknowledgements are raised once per (epoch, end) step up

    /// <param name="nodeId">The follower.</param>
    /// <param name="url">Its advertised URL.</param>
    /// <param name="secret">The set's shared secret.</param>
    /// <param name="handler">The connection pool.</param>
    /// <param name="logger">Where trouble goes.</param>
    /// <param name="catchUp">This node's log, for a follower further behind than the groups held here; null: no catch-up.</param>
    /// <param name="localDurableEnd">The end durable in this node's log (how far the log may be read).</param>
    /// <param name="epoch">This node's epoch while it leads, else null (catch-up requests carry it).</param>
    /// <param name="commitPointAt">The commit point ending at an end of this node's chain (sent with the commit index).</param>
    public FollowerLink(string nodeId, Uri url, string secret, HttpMessageHandler handler, ILogger logger,
        string? catchUp = null, Func<long>? localDurableEnd = null, Func<long?>? epoch = null, Func<long, CommitPoint?>? commitPointAt = null)
    {
        _commitPointAt = commitPointAt ?? (_ => null);
        NodeId = nodeId;
        _log = catchUp is null ? null : new WalCatchUp(catchUp);
        _localDurableEnd = localDurableEnd ?? (() => 0);
        _epoch = epoch ?? (() => null);
        _append = new Uri(url, "/replication/append");
        _logger = logger;
        _http = new HttpClient(handler, disposeHandler: false) { Timeout = RequestTimeout };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        _loop = Task.Run(RunAsync);
    }

    public string NodeId { get; }

    /// <summary>The follower made everything below this durable, in answer to a request of this epoch (raised from the link's loop; see <see cref="IFollowerLink"/>).</summary>
    public event Action<long, long>? Acknowledged;

    public long AcknowledgedEnd { get; private set; }

    /// <summary>Raised with each durable acknowledgement's round trip, from sending the request to reading the answer.</summary>
    public event Action<TimeSpan>? AckMeasured;

    /// <summary>The round trip of the last durable acknowledgement; zero before the first.</summary>
    public TimeSpan LastAckLatency { get; private set; }

    /// <summary>
    /// False while the last request failed or was refused, or once the link dropped the follower; true otherwise (also
    /// before anything was sent: an idle leader does not probe its followers).
    /// </summary>
    public bool Acknowledging => Volatile.Read(ref _trouble) is null && !IsCatchingUp;

    /// <summary>True while the follower catches up from this node's log.</summary>
    public bool IsCatchingUp
    {
        get
        {
            lock (_lock)
            {
                return _catchUpFrom is not null;
            }
        }
    }

    /// <summary>
    /// The set now holds everything below <paramref name="end"/>: the follower hears it with the next request, or with a
    /// request of its own when there are no records to send (docs/replication.md, "Commit index").
    /// </summary>
    public void CommitAdvanced(long end)
    {
        var known = Volatile.Read(ref _commit);
        while (end > known)
        {
            var seen = Interlocked.CompareExchange(ref _commit, end, known);
            if (seen == known)
            {
                _work.Release();
                return;
            }

            known = seen;
        }
    }

    public void Probe()
    {
        _probe = true;
        _work.Release();
    }

    /// <summary>The writer's thread: queue a group for this follower.</summary>
    public void Ship(ShippedGroup group)
    {
        lock (_lock)
        {
            _groups.AddLast(group);
            _retainedBytes += group.Entries.Length;
            if (_retainedBytes > MaxRetainedBytes)
            {
                // The log holds every one of them: the follower catches up from there.
                var from = _groups.First!.Value.First;
                _groups.Clear();
                _retainedBytes = 0;
                if (_log is null)
                {
                    LogDropped(NodeId, MaxRetainedBytes >> 20);
                }
                else if (_catchUpFrom is null)
                {
                    _catchUpFrom = from;
                    LogCatchingUp(NodeId, _catchUpFrom.Value, "more than " + (MaxRetainedBytes >> 20) + " MB behind");
                }
            }
        }

        _work.Release();
    }

    /// <summary>The end durable in this node's log, as the link reads it (its loop may read it after the host is disposed).</summary>
    internal long LocalDurableEnd => _localDurableEnd();

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        _http.Dispose();
        _log?.Dispose();
        _stop.Dispose();
        _work.Dispose();
    }

    private async Task RunAsync()
    {
        var token = _stop.Token;
        while (!token.IsCancellationRequested)
        {
            var commit = CommitPointNow();
            var (body, first, end, epoch) = NextRequest(commit);
            var probing = false;
            if (body is null && CommitOnlyRequest(commit) is { } commitOnly)
            {
                // A request of no records in this node's epoch, as the probe's: its answer serves as the probe's. A node that
                // wins hears of commits while it followed, so this one goes first at every takeover; answered, the probe
                // went out after it as a round trip of its own (under load, 300 ms on the way to the first confirmation).
                (body, epoch) = commitOnly;
                probing = _probe;
            }

            if (body is null && _probe && _epoch() is { } leading)
            {
                (body, epoch, probing) = (ReplicationWire.Group(leading, commit, 0, []), leading, true);
            }

            if (body is null)
            {
                await _work.WaitAsync(TimeSpan.FromMilliseconds(IsCatchingUp ? 100 : Timeout.Infinite), token).ConfigureAwait(false);
                continue;
            }

            ReplicaAck ack;
            var sent = Stopwatch.GetTimestamp();
            try
            {
                using var content = new ByteArrayContent(body);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
                using var response = await _http.PostAsync(_append, content, token).ConfigureAwait(false);
                var answer = await response.Content.ReadAsByteArrayAsync(token).ConfigureAwait(false);
                if (!ReplicationWire.TryReadAck(answer, out ack))
                {
                    throw new HttpRequestException($"HTTP {(int)response.StatusCode} without an acknowledgement");
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException || (ex is OperationCanceledException && !token.IsCancellationRequested))
            {
                if (Trouble("unreachable: " + ex.Message))
                {
                    LogUnreachable(NodeId, ex.Message);
                }

                await Task.Delay(TimeSpan.FromMilliseconds(100), token).ConfigureAwait(false);
                continue;
            }

            if (ack.Status is ReplicaAckStatus.Refused or ReplicaAckStatus.Mismatch && ack.DurableEnd < first && _log is not null)
            {
                // It lacks records before these, or (a mismatch) holds another history before them past the end it knows
                // committed: they come from the log, from there (a mismatch: Raft's step back to a matching point).
                lock (_lock)
                {
                    if (_catchUpFrom is null || ack.DurableEnd < _catchUpFrom)
                    {
                        _catchUpFrom = ack.DurableEnd;
                        LogCatchingUp(NodeId, ack.DurableEnd, ack.Reason);
                    }
                }

                continue;
            }

            if (ack.Status == ReplicaAckStatus.StaleEpoch)
            {
                // Groups of an epoch older than the follower accepted are never taken (this node was deposed, and may lead
                // again later): let them go; what the follower lacks of them comes from the log. The follower may refuse
                // them for following a newer epoch it has accepted nothing of yet (it answers with an older one): groups of
                // an earlier term of this node are let go too, or the new term would wait behind them for good.
                DropOlderThan(Math.Max(ack.HighestEpoch, _epoch() ?? 0));
            }

            if (ack.Status != ReplicaAckStatus.Durable)
            {
                // A refusal acknowledges nothing: what the follower holds may be another history (a conflict).
                if (Trouble(ack.Reason))
                {
                    LogRefused(NodeId, ack.Status, ack.Reason);
                }

                // A follower that has not yet seen this term's leader key (its etcd watch is behind the win) answers with an
                // older epoch: that wait is part of every failover (a median 150 ms in the quiet 20-kill run, and the 100 ms
                // pause after it added up to 100 ms more), so ask again soon. Other refusals wait for something slower.
                var notYet = ack.HighestEpoch < epoch;
                await Task.Delay(TimeSpan.FromMilliseconds(notYet ? 10 : 100), token).ConfigureAwait(false);
                continue;
            }

            var latency = Stopwatch.GetElapsedTime(sent);
            LastAckLatency = latency;
            AckMeasured?.Invoke(latency);

            // Up to the end of this request only: everything below it was checked equal to this leader's records.
            if (_trouble is not null)
            {
                _trouble = null;
                LogAcknowledging(NodeId, ack.DurableEnd);
            }

            if (commit.End > _sentCommit)
            {
                _sentCommit = commit.End;
            }

            if (probing)
            {
                _probe = false;
                CatchUpFrom(ack.DurableEnd);
            }

            Acknowledge(Math.Min(ack.DurableEnd, end), epoch);
        }
    }

    /// <summary>True when <paramref name="problem"/> differs from the last one logged (so that a retry loop does not flood the log).</summary>
    private bool Trouble(string problem)
    {
        if (problem == _trouble)
        {
            return false;
        }

        _trouble = problem;
        return true;
    }

    /// <summary>
    /// A probe's answer: the follower lacks this node's records past its durable end; they come from the log. A follower
    /// that holds as much as this node is sent its last record again: its acknowledgement in this term is what lets this
    /// node count it for the records it inherited (<see cref="ReplicatedTransactionLog.Lead"/>); an answer of no records
    /// proves nothing of what the follower holds.
    /// </summary>
    private void CatchUpFrom(long durableEnd)
    {
        var localEnd = _localDurableEnd();
        if (_log is null || localEnd == 0)
        {
            return;
        }

        var from = Math.Min(durableEnd, localEnd - 1);
        lock (_lock)
        {
            if (_catchUpFrom is null && (_groups.First is null || _groups.First.Value.First > from))
            {
                _catchUpFrom = from;
                LogCatchingUp(NodeId, from, from < durableEnd ? "holds this node's log when it won: its last record again, in this term" : "behind this node's log when it won");
            }
        }
    }

    private void DropOlderThan(long epoch)
    {
        lock (_lock)
        {
            while (_groups.First is { } head && head.Value.Epoch < epoch)
            {
                _retainedBytes -= head.Value.Entries.Length;
                _groups.RemoveFirst();
            }
        }
    }

    /// <summary>The follower holds everything below <paramref name="end"/>, answering a request of <paramref name="epoch"/>: drop those groups and tell the log.</summary>
    private void Acknowledge(long end, long epoch)
    {
        lock (_lock)
        {
            while (_groups.First is { } head && head.Value.End <= end)
            {
                _retainedBytes -= head.Value.Entries.Length;
                _groups.RemoveFirst();
            }

            if (_catchUpFrom is { } from && end > from)
            {
                _catchUpFrom = end;
            }

            if (epoch < _ackEpoch || (epoch == _ackEpoch && end <= _ackEnd))
            {
                return;
            }

            (_ackEpoch, _ackEnd) = (epoch, end);
            AcknowledgedEnd = Math.Max(AcknowledgedEnd, end);
        }

        Acknowledged?.Invoke(end, epoch);
    }
}
