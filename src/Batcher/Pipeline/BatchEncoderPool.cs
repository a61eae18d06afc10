using System.Collections.Concurrent;
using Batcher.Format;

namespace Batcher.Pipeline;

/// <summary>
/// Encoders for batches encoded at once: an encoder keeps its compressor and buffers between batches
/// but serves one batch at a time, so each concurrent encode rents its own.
/// </summary>
public sealed class BatchEncoderPool(BatchCodecOptions options) : IDisposable
{
    private readonly ConcurrentBag<BatchEncoder> _idle = [];
    private volatile bool _disposed;

    public BatchEncoder Rent() => _idle.TryTake(out var encoder) ? encoder : new BatchEncoder(options);

    public void Return(BatchEncoder encoder)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        _idle.Add(encoder);
        if (_disposed)
        {
            // Returned after the pool closed: nobody will rent it again.
            Drain();
        }
    }

    public void Dispose()
    {
        _disposed = true;
        Drain();
    }

    private void Drain()
    {
        while (_idle.TryTake(out var encoder))
        {
            encoder.Dispose();
        }
    }
}
