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
/// Kept in memory up to <see cref="MaxRetainedBytes"/> per follower; a follower further behind (dead, or paused) is
/// dropped from replication until it restarts, because catching up from the log is not built yet.
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
    private long _retainedBytes;
    private bool _dropped;
    private string? _trouble; // the last problem logged: each is logged once, until the follower acknowledges again

    public FollowerLink(string nodeId, Uri url, string secret, HttpMessageHandler handler, ILogger logger)
    {
        NodeId = nodeId;
        _append = new Uri(url, "/replication/append");
        _logger = logger;
        _http = new HttpClient(handler, disposeHandler: false) { Timeout = RequestTimeout };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        _loop = Task.Run(RunAsync);
    }

    public string NodeId { get; }

    /// <summary>The follower made everything below this durable (raised from the link's loop).</summary>
    public event Action<long>? Acknowledged;

    public long AcknowledgedEnd { get; private set; }

    /// <summary>Raised with each durable acknowledgement's round trip, from sending the request to reading the answer.</summary>
    public event Action<TimeSpan>? AckMeasured;

    /// <summary>The round trip of the last durable acknowledgement; zero before the first.</summary>
    public TimeSpan LastAckLatency { get; private set; }

    /// <summary>
    /// False while the last request failed or was refused, or once the link dropped the follower; true otherwise (also
    /// before anything was sent: an idle leader does not probe its followers).
    /// </summary>
    public bool Acknowledging => Volatile.Read(ref _trouble) is null && !Volatile.Read(ref _dropped);

    /// <summary>The writer's thread: queue a group for this follower.</summary>
    public void Ship(ShippedGroup group)
    {
        lock (_lock)
        {
            if (_dropped)
            {
                return;
            }

            _groups.AddLast(group);
            _retainedBytes += group.Entries.Length;
            if (_retainedBytes > MaxRetainedBytes)
            {
                _groups.Clear();
                _retainedBytes = 0;
                _dropped = true;
                LogDropped(NodeId, MaxRetainedBytes >> 20);
                return;
            }
        }

        _work.Release();
    }

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
        _stop.Dispose();
        _work.Dispose();
    }

    private async Task RunAsync()
    {
        var token = _stop.Token;
        while (!token.IsCancellationRequested)
        {
            var (body, end) = NextRequest();
            if (body is null)
            {
                await _work.WaitAsync(token).ConfigureAwait(false);
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

            if (ack.Status != ReplicaAckStatus.Durable)
            {
                // A refusal acknowledges nothing: what the follower holds may be another history (a conflict).
                if (Trouble(ack.Reason))
                {
                    LogRefused(NodeId, ack.Status, ack.Reason);
                }

                await Task.Delay(TimeSpan.FromMilliseconds(100), token).ConfigureAwait(false);
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

            Acknowledge(Math.Min(ack.DurableEnd, end));
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

    /// <summary>The groups at the head, of one epoch, up to the request size; null when there are none.</summary>
    private (byte[]? Body, long End) NextRequest()
    {
        lock (_lock)
        {
            if (_groups.First is not { } first)
            {
                return (null, 0);
            }

            var entries = new List<ReadOnlyMemory<byte>>();
            var count = 0;
            var bytes = 0;
            var end = first.Value.First;
            for (var node = first; node is not null && node.Value.Epoch == first.Value.Epoch
                && (count == 0 || bytes + node.Value.Entries.Length <= MaxRequestBytes); node = node.Next)
            {
                entries.Add(node.Value.Entries);
                count += node.Value.Count;
                bytes += node.Value.Entries.Length;
                end = node.Value.End;
            }

            return (ReplicationWire.Group(first.Value.Epoch, count, entries), end);
        }
    }

    /// <summary>The follower holds everything below <paramref name="end"/>: drop those groups and tell the log.</summary>
    private void Acknowledge(long end)
    {
        lock (_lock)
        {
            while (_groups.First is { } head && head.Value.End <= end)
            {
                _retainedBytes -= head.Value.Entries.Length;
                _groups.RemoveFirst();
            }

            if (end <= AcknowledgedEnd)
            {
                return;
            }

            AcknowledgedEnd = end;
        }

        Acknowledged?.Invoke(end);
    }

    [LoggerMessage(EventId = 40, Level = LogLevel.Warning, Message = "Replica {NodeId} unreachable: {Reason}; retrying")]
    private partial void LogUnreachable(string nodeId, string reason);

    [LoggerMessage(EventId = 41, Level = LogLevel.Warning, Message = "Replica {NodeId} refused records ({Status}): {Reason}")]
    private partial void LogRefused(string nodeId, ReplicaAckStatus status, string reason);

    [LoggerMessage(EventId = 43, Level = LogLevel.Information, Message = "Replica {NodeId} acknowledges again (durable end {DurableEnd})")]
    private partial void LogAcknowledging(string nodeId, long durableEnd);

    [LoggerMessage(EventId = 42, Level = LogLevel.Error,
        Message = "Replica {NodeId} is more than {Megabytes} MB behind: dropped from replication until it restarts (catch-up is not built)")]
    private partial void LogDropped(string nodeId, long megabytes);
}
