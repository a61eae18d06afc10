using System.Buffers;
using System.Globalization;
using System.Net.WebSockets;
using Sequencer.Rpc;

namespace Sequencer.Feed;

/// <summary>The three loops of a connection: receive (and answer) calls, send the queue, watch for idleness.</summary>
public sealed partial class FeedConnection
{
    private enum Received
    {
        Message,
        Close,
        TooLarge,
    }

    /// <summary>Receives calls and sends replies until the client closes, the connection is dropped or cut off.</summary>
    internal async Task RunAsync(JsonRpcProcessor processor)
    {
        var sending = SendLoopAsync();
        var watching = WatchIdleAsync();
        try
        {
            await ReceiveLoopAsync(processor).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            // The client went away, or was cut off.
        }
        finally
        {
            Drop("connection closed", WebSocketCloseStatus.NormalClosure);
            await sending.ConfigureAwait(false);
            await _closed.CancelAsync().ConfigureAwait(false);
            await watching.ConfigureAwait(false);
            _sendTimeout.Dispose();
            _closed.Dispose();
        }
    }

    private async Task ReceiveLoopAsync(JsonRpcProcessor processor)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Min(_limits.MaxMessageBytes, 64 * 1024));
        try
        {
            // Back-pressure: while the client has not taken enough of its replies, its next request waits in the network.
            while (DropReason is null && await _queue.WaitBelowHighWaterAsync(_closed.Token).ConfigureAwait(false))
            {
                (var received, buffer, var length) = await ReceiveMessageAsync(buffer).ConfigureAwait(false);
                if (received == Received.Close)
                {
                    return; // RunAsync answers with the close frame.
                }

                if (received == Received.TooLarge)
                {
                    Drop($"message too large (limit {_limits.MaxMessageBytes} bytes)", WebSocketCloseStatus.MessageTooBig);
                    break;
                }

                await AnswerAsync(processor, new ReadOnlySequence<byte>(buffer, 0, length)).ConfigureAwait(false);
            }

            // Dropped: read (and discard) what the client still sends until it answers the close frame with
            // its own, so that the connection ends with the handshake, not a reset that could destroy the
            // close frame (and its reason) before the client has read it.
            while (_socket.State is WebSocketState.Open or WebSocketState.CloseSent)
            {
                var result = await _socket.ReceiveAsync(buffer.AsMemory(), _closed.Token).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>One whole message into <paramref name="buffer"/> (grown from the pool up to the message limit).</summary>
    private async Task<(Received Kind, byte[] Buffer, int Length)> ReceiveMessageAsync(byte[] buffer)
    {
        var max = _limits.MaxMessageBytes;
        var length = 0;
        ValueWebSocketReceiveResult result;
        do
        {
            if (length == buffer.Length)
            {
                if (buffer.Length >= max)
                {
                    return (Received.TooLarge, buffer, length);
                }

                var bigger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, max));
                buffer.AsSpan(0, length).CopyTo(bigger);
                ArrayPool<byte>.Shared.Return(buffer);
                buffer = bigger;
            }

            result = await _socket.ReceiveAsync(buffer.AsMemory(length), _closed.Token).ConfigureAwait(false);
            length += result.Count;
        }
        while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);

        return (result.MessageType == WebSocketMessageType.Close ? Received.Close : Received.Message, buffer, length);
    }

    private async Task AnswerAsync(JsonRpcProcessor processor, ReadOnlySequence<byte> request)
    {
        Touch();
        Volatile.Write(ref _busy, 1);
        var reply = _buffers.GetStream("ws-reply");
        try
        {
            if (!await processor.ProcessAsync(request, reply, this, _closed.Token).ConfigureAwait(false))
            {
                await reply.DisposeAsync().ConfigureAwait(false);
                return;
            }
        }
        catch
        {
            await reply.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        finally
        {
            Volatile.Write(ref _busy, 0);
            Touch();
        }

        TrySend(new OutboundMessage(reply.GetReadOnlySequence(), reply));
    }

    private async Task SendLoopAsync()
    {
        try
        {
            while (await _queue.WaitToReadAsync(_closed.Token).ConfigureAwait(false))
            {
                while (_queue.TryDequeue(out var message))
                {
                    try
                    {
                        await SendMessageAsync(message.Payload).ConfigureAwait(false);
                    }
                    finally
                    {
                        _queue.Done(message);
                    }

                    Touch();
                }
            }

            await CloseAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            // The client took nothing for the idle timeout (the send was cancelled, which aborts the socket),
            // or it went away: nothing more can be sent; stop the receive side too.
            if (_sendTimeout.IsCancellationRequested && !_closed.IsCancellationRequested)
            {
                Drop($"client took no data for {Seconds(_limits.IdleTimeout)} s");
            }

            Drop("connection closed", WebSocketCloseStatus.NormalClosure);
            await _closed.CancelAsync().ConfigureAwait(false);
        }
    }

    /// <summary>A message as one or more frames: the pooled blocks of a large reply go out as they are, without a copy.</summary>
    private async ValueTask SendMessageAsync(ReadOnlySequence<byte> payload)
    {
        var position = payload.Start;
        payload.TryGet(ref position, out var current);
        while (payload.TryGet(ref position, out var next))
        {
            if (!current.IsEmpty)
            {
                await SendFrameAsync(current, endOfMessage: false).ConfigureAwait(false);
            }

            current = next;
        }

        await SendFrameAsync(current, endOfMessage: true).ConfigureAwait(false);
    }

    private async ValueTask SendFrameAsync(ReadOnlyMemory<byte> frame, bool endOfMessage)
    {
        // Progress, not the whole message, is timed: a slow reader that keeps taking data is never cut off.
        _sendTimeout.CancelAfter(_limits.IdleTimeout);
        await _socket.SendAsync(frame, WebSocketMessageType.Text, endOfMessage, _sendTimeout.Token).ConfigureAwait(false);
        _sendTimeout.CancelAfter(Timeout.InfiniteTimeSpan);
    }

    private async Task CloseAsync()
    {
        if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            _sendTimeout.CancelAfter(_limits.IdleTimeout);
            await _socket.CloseOutputAsync(CloseStatus, CloseReason(DropReason ?? "closing"), _sendTimeout.Token).ConfigureAwait(false);
        }

        // Wait for the client's close frame as long as for any other data: "written" above may still mean
        // in the server's buffers behind data a slow client has yet to read, and cutting the socket now
        // would discard the close frame (the client would see 1006 instead of the status and reason).
        _closed.CancelAfter(CloseStatus == WebSocketCloseStatus.EndpointUnavailable ? ShutdownCloseGrace : _limits.IdleTimeout);
    }

    private async Task WatchIdleAsync()
    {
        var idle = _limits.IdleTimeout;
        try
        {
            while (DropReason is null)
            {
                var quiet = TimeSpan.FromMilliseconds(Environment.TickCount64 - Volatile.Read(ref _lastActivity));
                if (quiet >= idle)
                {
                    if (!HasSubscriptions && Volatile.Read(ref _busy) == 0 && _queue.Count == 0)
                    {
                        Drop($"idle: no request and no subscription for {Seconds(idle)} s", WebSocketCloseStatus.NormalClosure);
                        return;
                    }

                    quiet = TimeSpan.Zero;
                }

                await Task.Delay(idle - quiet, _closed.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // The connection ended.
        }
    }

    private static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture);

    // A close reason is at most 123 UTF-8 bytes; the reasons are ASCII.
    private static string CloseReason(string reason) => reason.Length <= 120 ? reason : reason[..120];
}
