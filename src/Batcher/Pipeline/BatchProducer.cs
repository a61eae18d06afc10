using System.Diagnostics.CodeAnalysis;
using System.Threading.Channels;

namespace Batcher.Pipeline;

/// <summary>
/// Builds batches ahead of the one being published. Choosing each batch's blocks goes in order (where
/// one batch ends, the next begins), but it is cheap; encoding (columnar layout, zstd, keccak) is the
/// expensive part and needs only the batch's own blocks and parent accumulator, so up to
/// <c>parallelism</c> batches are encoded at once on the thread pool. Batches come out of
/// <see cref="NextAsync"/> in index order. Disposing stops production and waits for every encode.
/// </summary>
internal sealed class BatchProducer : IAsyncDisposable
{
    private readonly BatchBuilder _builder;
    private readonly BatchEncoderPool _encoders;
    private readonly ulong _chainId;
    private readonly Func<int> _maxRawBytes;
    private readonly TimeSpan _maxAge;
    private readonly int _parallelism;
    private readonly SemaphoreSlim _encodeSlots;
    private readonly Channel<Task<BuiltBatch>> _ready;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _collecting;

    // maxRawBytes is read as each batch is started, so a change (failover to calldata) applies to the next one.
    public BatchProducer(
        BatchBuilder builder, BatchEncoderPool encoders, ulong chainId, int parallelism, Func<int> maxRawBytes, TimeSpan maxAge,
        ulong batchIndex, ulong firstBlock, ulong firstSequence, byte[] parentAccumulator, ulong forcedFrom = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(parallelism, 1);
        _builder = builder;
        _encoders = encoders;
        _chainId = chainId;
        _maxRawBytes = maxRawBytes;
        _maxAge = maxAge;
        _parallelism = parallelism;
        _encodeSlots = new SemaphoreSlim(parallelism, parallelism);

        // Built batches wait here for the publisher; the bound keeps memory in check when DA is slow.
        _ready = Channel.CreateBounded<Task<BuiltBatch>>(new BoundedChannelOptions(parallelism) { SingleReader = true, SingleWriter = true });
        _collecting = Task.Run(() => CollectAsync(batchIndex, firstBlock, firstSequence, parentAccumulator, forcedFrom, _stop.Token));
    }

    /// <summary>The next batch in order; throws what building it threw.</summary>
    public async Task<BuiltBatch> NextAsync(CancellationToken cancellationToken)
    {
        Task<BuiltBatch>? encoding;
        while (!_ready.Reader.TryRead(out encoding))
        {
            // Throws the exception production stopped with (a sealed block out of sequence, for one).
            if (!await _ready.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                throw new InvalidOperationException("batch production has stopped");
            }
        }

        return await encoding.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The next batch if it is built already; never waits.</summary>
    public bool TryTakeBuilt([NotNullWhen(true)] out BuiltBatch? batch)
    {
        if (_ready.Reader.TryPeek(out var encoding) && encoding.IsCompletedSuccessfully && _ready.Reader.TryRead(out encoding))
        {
#pragma warning disable VSTHRD002 // Not a wait: the task completed successfully (checked above).
            batch = encoding.Result;
#pragma warning restore VSTHRD002
            return true;
        }

        batch = null;
        return false;
    }

    private async Task CollectAsync(
        ulong batchIndex, ulong firstBlock, ulong firstSequence, byte[] parentAccumulator, ulong forcedFrom, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                var contents = await _builder.CollectAsync(batchIndex, firstBlock, firstSequence, parentAccumulator, _maxRawBytes(), _maxAge, cancellationToken)
                    .ConfigureAwait(false);
                contents = await _builder.WithForcedAsync(contents, forcedFrom, cancellationToken).ConfigureAwait(false);
                await _encodeSlots.WaitAsync(cancellationToken).ConfigureAwait(false);
                Task<BuiltBatch> encoding;
                try
                {
                    encoding = Task.Run(() => Encode(contents), CancellationToken.None);
                }
                catch
                {
                    _encodeSlots.Release();
                    throw;
                }

                await _ready.Writer.WriteAsync(encoding, cancellationToken).ConfigureAwait(false);
                batchIndex = contents.Index + 1;
                firstBlock = contents.LastBlock + 1;
                firstSequence = contents.NextSequence;
                parentAccumulator = contents.EndAccumulator;
                forcedFrom = contents.ForcedThrough;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            _ready.Writer.TryComplete();
        }
        catch (Exception e)
        {
            _ready.Writer.TryComplete(e);
        }
    }

    private BuiltBatch Encode(BatchContents contents)
    {
        var encoder = _encoders.Rent();
        try
        {
            return BatchBuilder.Encode(encoder, _chainId, contents);
        }
        finally
        {
            _encoders.Return(encoder);
            _encodeSlots.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _collecting.ConfigureAwait(false);

        // Every slot back means every encode has finished: none outlives the producer or its encoders.
        for (var i = 0; i < _parallelism; i++)
        {
            await _encodeSlots.WaitAsync().ConfigureAwait(false);
        }

        // Batches built but not taken are dropped; a faulted encode has nobody left to report to.
        while (_ready.Reader.TryRead(out var encoding))
        {
            _ = encoding.Exception;
        }

        _stop.Dispose();
        _encodeSlots.Dispose();
    }
}
