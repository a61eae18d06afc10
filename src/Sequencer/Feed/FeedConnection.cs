using System.Buffers;
using System.Net.WebSockets;
using System.Threading.Channels;
using Sequencer.Rpc;

namespace Sequencer.Feed;

/// <summary>What a connection subscribed to.</summary>
public enum SubscriptionKind
{
    NewHeads,
    SoftConfirmations,
}

/// <summary>
/// One WebSocket connection: JSON-RPC calls in, responses and subscription notifications out through
/// one bounded buffer. A connection that lets its buffer fill is dropped with a close reason: it never
/// slows the core or the other subscribers.
/// </summary>
public sealed partial class FeedConnection : RpcTransport
{
    private readonly WebSocket _socket;
    private readonly Channel<ReadOnlyMemory<byte>> _outbound;
    private readonly Dictionary<string, SubscriptionKind> _subscriptions = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _closed;
    private readonly int _bufferSize;
    private readonly int _maxSubscriptions;
    private string? _dropReason;

    /// <summary>How long a dropped client has to take its close frame before the socket is aborted.</summary>
    private static readonly TimeSpan DropGrace = TimeSpan.FromSeconds(10);

    internal FeedConnection(HttpContext context, WebSocket socket, int bufferSize, int maxSubscriptions)
        : base(context)
    {
        _socket = socket;
        _bufferSize = bufferSize;
        _maxSubscriptions = maxSubscriptions;
        _outbound = Channel.CreateBounded<ReadOnlyMemory<byte>>(new BoundedChannelOptions(bufferSize)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _closed = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
    }

    public override FeedConnection? WebSocket => this;

    public string? DropReason => Volatile.Read(ref _dropReason);

    public CancellationToken Closed => _closed.Token;

    public bool TryAddSubscription(string id, SubscriptionKind kind)
    {
        lock (_gate)
        {
            if (_subscriptions.Count >= _maxSubscriptions)
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

    /// <summary>Queues a message; if the buffer is full the connection is dropped (returns false).</summary>
    public bool TrySend(ReadOnlyMemory<byte> message)
    {
        if (_outbound.Writer.TryWrite(message))
        {
            return true;
        }

        Drop($"subscriber too slow: more than {_bufferSize} messages pending");
        return false;
    }

    /// <summary>
    /// Stops the connection: queued messages are discarded, the close frame carries the reason once the
    /// message being sent has gone out, and a client that reads nothing more is cut off after a grace period.
    /// </summary>
    public void Drop(string reason)
    {
        if (Interlocked.CompareExchange(ref _dropReason, reason, null) is null)
        {
            _outbound.Writer.TryComplete();
            try
            {
                _closed.CancelAfter(DropGrace);
            }
            catch (ObjectDisposedException)
            {
                // Already finished.
            }
        }
    }

    /// <summary>Receives calls and sends replies until the client closes or the connection is dropped.</summary>
    internal async Task RunAsync(JsonRpcProcessor processor, int maxMessageBytes)
    {
        var sending = SendLoopAsync();
        try
        {
            await ReceiveLoopAsync(processor, maxMessageBytes).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            // The client went away.
        }
        finally
        {
            Drop(DropReason ?? "connection closed");
            await sending.ConfigureAwait(false);
            _closed.Cancel();
            _closed.Dispose();
        }
    }

    private async Task ReceiveLoopAsync(JsonRpcProcessor processor, int maxMessageBytes)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Min(maxMessageBytes, 64 * 1024));
        try
        {
            while (_socket.State == WebSocketState.Open && DropReason is null)
            {
                var length = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    if (length == buffer.Length)
                    {
                        if (buffer.Length >= maxMessageBytes)
                        {
                            Drop($"message too large (limit {maxMessageBytes} bytes)");
                            return;
                        }

                        var bigger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, maxMessageBytes));
                        buffer.AsSpan(0, length).CopyTo(bigger);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = bigger;
                    }

                    result = await _socket.ReceiveAsync(buffer.AsMemory(length), _closed.Token).ConfigureAwait(false);
                    length += result.Count;
                }
                while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                var output = new ArrayBufferWriter<byte>(256);
                if (await processor.ProcessAsync(new ReadOnlySequence<byte>(buffer, 0, length), output, this, _closed.Token).ConfigureAwait(false))
                {
                    TrySend(output.WrittenMemory);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task SendLoopAsync()
    {
        try
        {
            var reader = _outbound.Reader;
            while (DropReason is null && await reader.WaitToReadAsync(_closed.Token).ConfigureAwait(false))
            {
                while (DropReason is null && reader.TryRead(out var message))
                {
                    await _socket.SendAsync(message, WebSocketMessageType.Text, endOfMessage: true, _closed.Token).ConfigureAwait(false);
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            return;
        }

        await CloseAsync().ConfigureAwait(false);
    }

    private async Task CloseAsync()
    {
        if (_socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived))
        {
            return;
        }

        var reason = DropReason ?? "closing";
        var status = reason == "connection closed" ? WebSocketCloseStatus.NormalClosure : WebSocketCloseStatus.PolicyViolation;

        try
        {
            await _socket.CloseOutputAsync(status, Truncate(reason), _closed.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            _socket.Abort();
        }
    }

    // A close reason is at most 123 UTF-8 bytes.
    private static string Truncate(string reason) => reason.Length <= 120 ? reason : reason[..120];
}
