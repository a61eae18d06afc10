using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Sequencer.Rpc;
using Sequencer.Rpc.Dto;
using Sequencer.Sequencing;
using Sequencer.Chain;
using Sequencer.History;

namespace Sequencer.Feed;

/// <summary>
/// Fans chain events out to WebSocket subscribers. The core only enqueues an event (on the log's
/// thread); one hub task builds each payload once (signing confirmations if needed) and copies it to
/// every subscriber's bounded outbound queue. Slow subscribers are dropped by their connection.
/// </summary>
internal sealed partial class FeedHub : IChainObserver, IHostedService, IDisposable
{
    private const int EventBound = 65_536;

    private readonly ConcurrentDictionary<FeedConnection, byte> _connections = new();
    private readonly Channel<FeedEvent> _events = Channel.CreateBounded<FeedEvent>(new BoundedChannelOptions(EventBound)
    {
        SingleReader = true,
        SingleWriter = true,
        FullMode = BoundedChannelFullMode.Wait,
    });

    private readonly ChainStore _store;
    private readonly SoftConfirmationSigner _signer;
    private readonly ChainViews _views;
    private readonly ILogger<FeedHub> _logger;
    private readonly IExecutedBlocks? _executed;
    private readonly CancellationTokenSource _stopping = new();
    private Task? _pump;
    private Task? _executedHeads;
    private int _newHeadSubscribers;
    private int _confirmationSubscribers;
    private int _pendingSubscribers;
    private int _logSubscribers;
    private readonly ConcurrentDictionary<string, LogCriteria> _logCriteria = new(StringComparer.Ordinal);
    private long _dropped;
    private long _nextId;

    // With an execution node (executed not null), newHeads are its blocks: one chain of blocks, docs/execution.md.
    public FeedHub(ChainStore store, SoftConfirmationSigner signer, ChainViews views, ILogger<FeedHub> logger, IExecutedBlocks? executed = null)
    {
        _store = store;
        _signer = signer;
        _views = views;
        _logger = logger;
        _executed = executed;
    }

    public int Connections => _connections.Count;

    public int Subscriptions => Volatile.Read(ref _newHeadSubscribers) + Volatile.Read(ref _confirmationSubscribers) + Volatile.Read(ref _pendingSubscribers) + Volatile.Read(ref _logSubscribers);

    /// <summary>Logs come from execution: served only with an execution node.</summary>
    public bool ServesLogs => _executed is not null;

    public long Dropped => Interlocked.Read(ref _dropped);

    public void Register(FeedConnection connection)
    {
        connection.Dropped = OnDropped;
        _connections.TryAdd(connection, 0);
    }

    public void Unregister(FeedConnection connection)
    {
        if (_connections.TryRemove(connection, out _))
        {
            foreach (var (id, kind) in connection.SnapshotSubscriptions())
            {
                CountSubscription(kind, -1);
                _logCriteria.TryRemove(id, out _);
            }
        }
    }

    /// <summary>Adds a subscription; null if the connection has too many.</summary>
    public string? Subscribe(FeedConnection connection, SubscriptionKind kind, LogCriteria? criteria = null)
    {
        var id = "0x" + Interlocked.Increment(ref _nextId).ToString("x");
        if (criteria is not null)
        {
            _logCriteria[id] = criteria;
        }

        if (!connection.TryAddSubscription(id, kind))
        {
            _logCriteria.TryRemove(id, out _);
            return null;
        }

        CountSubscription(kind, +1);
        return id;
    }

    public bool Unsubscribe(FeedConnection connection, string id)
    {
        if (!connection.RemoveSubscription(id, out var kind))
        {
            return false;
        }

        CountSubscription(kind, -1);
        _logCriteria.TryRemove(id, out _);
        return true;
    }

    void IChainObserver.TransactionsDurable(long fromSequence, long toSequenceExclusive)
    {
        if (Volatile.Read(ref _confirmationSubscribers) > 0 || Volatile.Read(ref _pendingSubscribers) > 0)
        {
            Enqueue(new FeedEvent(null, fromSequence, toSequenceExclusive));
        }
    }

    void IChainObserver.BlockPublished(ChainBlock block)
    {
        if (_executed is null && Volatile.Read(ref _newHeadSubscribers) > 0)
        {
            Enqueue(new FeedEvent(block, 0, 0));
        }
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _pump = Task.Run(PumpAsync, CancellationToken.None);
        if (_executed is not null)
        {
            _executedHeads = Task.Run(() => ExecutedHeadsAsync(_executed, _stopping.Token), CancellationToken.None);
        }

        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _events.Writer.TryComplete();
        await _stopping.CancelAsync().ConfigureAwait(false);
        foreach (var connection in _connections.Keys)
        {
            connection.Drop("sequencer shutting down", System.Net.WebSockets.WebSocketCloseStatus.EndpointUnavailable);
        }

        if (_pump is not null)
        {
            await _pump.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        if (_executedHeads is not null)
        {
            await _executedHeads.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public void Dispose() => _stopping.Dispose();

    private void Enqueue(FeedEvent feedEvent)
    {
        if (!_events.Writer.TryWrite(feedEvent))
        {
            // The hub itself cannot keep up: drop every subscriber rather than block the core.
            foreach (var connection in _connections.Keys)
            {
                connection.Drop("feed overloaded: the sequencer could not keep up with notifications");
            }
        }
    }

    private async Task PumpAsync()
    {
        var ids = new List<string>();
        await foreach (var feedEvent in _events.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            if (feedEvent.Block is { } block)
            {
                var payload = JsonSerializer.SerializeToUtf8Bytes(_views.Header(block), RpcJsonContext.Default.BlockDtoString);
                Broadcast(SubscriptionKind.NewHeads, payload, ids);
                continue;
            }

            for (var sequence = feedEvent.From; sequence < feedEvent.To; sequence++)
            {
                var confirmations = Volatile.Read(ref _confirmationSubscribers) > 0;
                var pending = Volatile.Read(ref _pendingSubscribers) > 0;
                if (!confirmations && !pending)
                {
                    break;
                }

                var tx = _store.GetTransaction(sequence);
                if (tx is null)
                {
                    continue;
                }

                if (confirmations)
                {
                    var payload = JsonSerializer.SerializeToUtf8Bytes(SoftConfirmationDto.Of(tx, _signer), RpcJsonContext.Default.SoftConfirmationDto);
                    Broadcast(SubscriptionKind.SoftConfirmations, payload, ids);
                }

                if (pending)
                {
                    Broadcast(SubscriptionKind.PendingTransactions, Encoding.ASCII.GetBytes("\"" + tx.Hash + "\""), ids);
                }
            }
        }
    }

    private void Broadcast(SubscriptionKind kind, byte[] result, List<string> ids)
    {
        foreach (var connection in _connections.Keys)
        {
            ids.Clear();
            if (connection.DropReason is not null || connection.CopySubscriptions(kind, ids) == 0)
            {
                continue;
            }

            foreach (var id in ids)
            {
                if (!connection.TrySend(Notification(id, result)))
                {
                    break;
                }
            }
        }
    }

    // {"jsonrpc":"2.0","method":"eth_subscription","params":{"subscription":"<id>","result":<result>}}
    private static byte[] Notification(string id, byte[] result)
    {
        ReadOnlySpan<byte> head = "{\"jsonrpc\":\"2.0\",\"method\":\"eth_subscription\",\"params\":{\"subscription\":\""u8;
        ReadOnlySpan<byte> middle = "\",\"result\":"u8;
        ReadOnlySpan<byte> tail = "}}"u8;
        var message = new byte[head.Length + id.Length + middle.Length + result.Length + tail.Length];
        var span = message.AsSpan();
        head.CopyTo(span);
        span = span[head.Length..];
        span = span[Encoding.ASCII.GetBytes(id, span)..];
        middle.CopyTo(span);
        span = span[middle.Length..];
        result.CopyTo(span);
        tail.CopyTo(span[result.Length..]);
        return message;
    }

    private void OnDropped(string reason)
    {
        Interlocked.Increment(ref _dropped);
        LogDropped(reason);
    }

    private void CountSubscription(SubscriptionKind kind, int delta)
    {
        switch (kind)
        {
            case SubscriptionKind.NewHeads:
                Interlocked.Add(ref _newHeadSubscribers, delta);
                break;
            case SubscriptionKind.PendingTransactions:
                Interlocked.Add(ref _pendingSubscribers, delta);
                break;
            case SubscriptionKind.Logs:
                Interlocked.Add(ref _logSubscribers, delta);
                break;
            default:
                Interlocked.Add(ref _confirmationSubscribers, delta);
                break;
        }
    }

    [LoggerMessage(EventId = 31, Level = LogLevel.Warning, Message = "newHeads/logs: the execution node's block {Number} could not be read, asking again: {Reason}")]
    private partial void LogExecutedHeadUnavailable(ulong number, string reason);

    [LoggerMessage(EventId = 30, Level = LogLevel.Warning, Message = "Dropped a WebSocket subscriber: {Reason}")]
    private partial void LogDropped(string reason);

    private readonly record struct FeedEvent(ChainBlock? Block, long From, long To);
}
