using System.Buffers;
using System.Threading.Channels;

namespace Sequencer.Feed;

/// <summary>A message waiting to go out on a WebSocket, and the pooled buffer that holds it, if any.</summary>
public readonly struct OutboundMessage(ReadOnlySequence<byte> payload, IDisposable? owner)
{
    public ReadOnlySequence<byte> Payload => payload;

    public static OutboundMessage Of(byte[] bytes) => new(new ReadOnlySequence<byte>(bytes), null);

    /// <summary>Gives the pooled buffer back; the payload must not be read afterwards.</summary>
    public void Release() => owner?.Dispose();
}

/// <summary>Why a message was not queued.</summary>
public enum QueueRefusal
{
    None,
    TooManyBytes,
    TooManyMessages,
    Closed,
}

/// <summary>
/// The outbound queue of one WebSocket connection, shared by its JSON-RPC replies and its feed
/// notifications: bounded in bytes and in messages (a message that would pass either bound is refused,
/// and the connection is then dropped), with a high-water mark at half the byte bound above which the
/// connection reads no further request. Bytes count from queueing until the message has been sent, so
/// the bound covers the message on the wire too.
/// </summary>
public sealed class OutboundQueue
{
    private readonly Channel<OutboundMessage> _messages = Channel.CreateUnbounded<OutboundMessage>(new UnboundedChannelOptions
    {
        SingleReader = false, // The sender, and Close draining what is left.
        SingleWriter = false,
    });

    private readonly long _maxBytes;
    private readonly int _maxMessages;
    private readonly long _highWater;
    private long _bytes;
    private int _count;
    private TaskCompletionSource _drained = NewSignal();

    public OutboundQueue(long maxBytes, int maxMessages)
    {
        _maxBytes = maxBytes;
        _maxMessages = maxMessages;
        _highWater = maxBytes / 2;
    }

    public long MaxBytes => _maxBytes;

    public int MaxMessages => _maxMessages;

    public long QueuedBytes => Interlocked.Read(ref _bytes);

    public int Count => Volatile.Read(ref _count);

    /// <summary>Queues <paramref name="message"/>, or releases it and says which bound refused it.</summary>
    public QueueRefusal TryEnqueue(OutboundMessage message)
    {
        var length = message.Payload.Length;
        if (Interlocked.Increment(ref _count) > _maxMessages)
        {
            Interlocked.Decrement(ref _count);
            message.Release();
            return QueueRefusal.TooManyMessages;
        }

        if (Interlocked.Add(ref _bytes, length) > _maxBytes)
        {
            Forget(length);
            message.Release();
            return QueueRefusal.TooManyBytes;
        }

        if (!_messages.Writer.TryWrite(message))
        {
            Forget(length);
            message.Release();
            return QueueRefusal.Closed;
        }

        return QueueRefusal.None;
    }

    public ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken) => _messages.Reader.WaitToReadAsync(cancellationToken);

    public bool TryDequeue(out OutboundMessage message) => _messages.Reader.TryRead(out message);

    /// <summary>A dequeued message has been sent (or given up): its bytes leave the bound and its buffer the connection.</summary>
    public void Done(OutboundMessage message)
    {
        Forget(message.Payload.Length);
        message.Release();
    }

    /// <summary>
    /// Completes once the queued bytes are at or below the high-water mark; false if the queue was closed.
    /// </summary>
    public async ValueTask<bool> WaitBelowHighWaterAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            // Read the signal before the count: a drain that happens in between completes this very signal.
            var drained = Volatile.Read(ref _drained);
            if (_messages.Reader.Completion.IsCompleted)
            {
                return false;
            }

            if (Interlocked.Read(ref _bytes) <= _highWater)
            {
                return true;
            }

            await drained.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Takes no more messages and releases the queued ones (a message being sent stays with the sender).</summary>
    public void Close()
    {
        _messages.Writer.TryComplete();
        while (_messages.Reader.TryRead(out var message))
        {
            Done(message);
        }

        Interlocked.Exchange(ref _drained, NewSignal()).TrySetResult();
    }

    private void Forget(long length)
    {
        Interlocked.Decrement(ref _count);
        var after = Interlocked.Add(ref _bytes, -length);
        if (after <= _highWater && after + length > _highWater)
        {
            Interlocked.Exchange(ref _drained, NewSignal()).TrySetResult();
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
