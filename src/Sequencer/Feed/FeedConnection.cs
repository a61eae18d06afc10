using System.Net.WebSockets;
using Microsoft.IO;
using Sequencer.Rpc;

namespace Sequencer.Feed;

/// <summary>What a connection subscribed to.</summary>
public enum SubscriptionKind
{
    NewHeads,
    SoftConfirmations,

    /// <summary>geth's newPendingTransactions: the hash of each transaction as it is confirmed (durable).</summary>
    PendingTransactions,

    /// <summary>geth's logs: each log of an executed block that matches the subscription's criteria (execution node only).</summary>
    Logs,
}

/// <summary>The bounds of one WebSocket connection (settings Sequencer:Rpc and Sequencer:Feed).</summary>
public sealed record WebSocketLimits(int MaxMessageBytes, long MaxQueuedBytes, int MaxQueuedMessages, int MaxSubscriptions, TimeSpan IdleTimeout);

/// <summary>
/// One WebSocket connection: JSON-RPC calls in, replies and subscription notifications out through one
/// <see cref="OutboundQueue"/>, bounded in bytes and messages. Above the queue's high-water mark the
/// connection reads no further request; a subscriber whose notifications pass the bound is dropped with a
/// close reason (it never slows the core or the other subscribers). A connection without subscriptions
/// that sends nothing for the idle timeout is closed, and one that takes no bytes for that long while a
/// message waits for it is cut off. The loops that move the bytes are in <c>FeedConnection.Loops.cs</c>.
/// </summary>
public sealed partial class FeedConnection : RpcTransport
{
    /// <summary>When the sequencer shuts down, how long a client has to answer the close frame before its socket is cut.</summary>
    private static readonly TimeSpan ShutdownCloseGrace = TimeSpan.FromSeconds(2);

    private readonly WebSocket _socket;
    private readonly WebSocketLimits _limits;
    private readonly RecyclableMemoryStreamManager _buffers;
    private readonly OutboundQueue _queue;
    private readonly Dictionary<string, SubscriptionKind> _subscriptions = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _closed;
    private readonly CancellationTokenSource _sendTimeout;
    private string? _dropReason;
    private int _closeStatus = (int)WebSocketCloseStatus.NormalClosure;
    private long _lastActivity = Environment.TickCount64;
    private int _busy;

    internal FeedConnection(HttpContext upgrade, WebSocket socket, WebSocketLimits limits, RecyclableMemoryStreamManager buffers)
        : base(upgrade)
    {
        _socket = socket;
        _limits = limits;
        _buffers = buffers;
        _queue = new OutboundQueue(limits.MaxQueuedBytes, limits.MaxQueuedMessages);
        _closed = CancellationTokenSource.CreateLinkedTokenSource(upgrade.RequestAborted);
        _sendTimeout = CancellationTokenSource.CreateLinkedTokenSource(_closed.Token);
    }

    public override FeedConnection? WebSocket => this;

    /// <summary>A fresh copy of the upgrade request in a scope of its own: see <see cref="DetachedRequest"/>.</summary>
    public override CallRequest? RequestForAuthentication()
    {
        var upgrade = HttpContext!;
        var scope = upgrade.RequestServices.GetRequiredService<IServiceScopeFactory>().CreateAsyncScope();
        return new CallRequest(DetachedRequest.Of(upgrade, scope.ServiceProvider), scope);
    }

    /// <summary>Why the connection ends (null while it is open).</summary>
    public string? DropReason => Volatile.Read(ref _dropReason);

    /// <summary>The close status the connection ends (or ended) with.</summary>
    public WebSocketCloseStatus CloseStatus => (WebSocketCloseStatus)Volatile.Read(ref _closeStatus);

    /// <summary>True when the connection was dropped for breaking a bound, rather than closed or idle.</summary>
    public bool WasDropped => DropReason is not null && CloseStatus is WebSocketCloseStatus.PolicyViolation or WebSocketCloseStatus.MessageTooBig;

    public bool TryAddSubscription(string id, SubscriptionKind kind)
    {
        lock (_gate)
        {
            if (_subscriptions.Count >= _limits.MaxSubscriptions)
            {
                return false;
            }

            _subscriptions[id] = kind;
            return true;
        }
    }

    public bool RemoveSubscription(string id, out SubscriptionKind kind)
    {
        lock (_gate)
        {
            return _subscriptions.Remove(id, out kind);
        }
    }

    /// <summary>Ids of this connection's subscriptions of <paramref name="kind"/>, copied under the lock.</summary>
    public int CopySubscriptions(SubscriptionKind kind, List<string> destination)
    {
        lock (_gate)
        {
            foreach (var (id, k) in _subscriptions)
            {
                if (k == kind)
                {
                    destination.Add(id);
                }
            }
        }

        return destination.Count;
    }

    public IReadOnlyCollection<KeyValuePair<string, SubscriptionKind>> SnapshotSubscriptions()
    {
        lock (_gate)
        {
            return _subscriptions.ToArray();
        }
    }

    /// <summary>Queues a notification; if the queue is full the connection is dropped (returns false).</summary>
    public bool TrySend(byte[] message) => TrySend(OutboundMessage.Of(message));

    /// <summary>
    /// Stops the connection: queued messages are discarded, and the close frame with
    /// <paramref name="status"/> and <paramref name="reason"/> follows the message being sent.
    /// </summary>
    public void Drop(string reason, WebSocketCloseStatus status = WebSocketCloseStatus.PolicyViolation)
    {
        if (Interlocked.CompareExchange(ref _dropReason, reason, null) is null)
        {
            Volatile.Write(ref _closeStatus, (int)status);
            _queue.Close();
            if (WasDropped)
            {
                Dropped?.Invoke(reason);
            }
        }
    }

    /// <summary>Called once, at the moment the connection is dropped for breaking a bound (its close frame may take a while).</summary>
    internal Action<string>? Dropped { get; set; }

    private bool TrySend(OutboundMessage message)
    {
        switch (_queue.TryEnqueue(message))
        {
            case QueueRefusal.None:
                return true;
            case QueueRefusal.TooManyBytes:
                Drop($"subscriber too slow: more than {_queue.MaxBytes} bytes pending");
                return false;
            case QueueRefusal.TooManyMessages:
                Drop($"subscriber too slow: more than {_queue.MaxMessages} messages pending");
                return false;
            default:
                return false;
        }
    }

    private bool HasSubscriptions
    {
        get
        {
            lock (_gate)
            {
                return _subscriptions.Count > 0;
            }
        }
    }

    private void Touch() => Volatile.Write(ref _lastActivity, Environment.TickCount64);
}
