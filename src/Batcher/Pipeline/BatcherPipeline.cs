using Batcher.Options;
using Batcher.Format;
using Batcher.L1;
using DaClient;
using Microsoft.Extensions.Logging;
using Nethereum.Hex.HexConvertors.Extensions;
using Polly;
using Primitives.Chain;

namespace Batcher.Pipeline;

/// <summary>
/// Sealed blocks → batches → DA → L1 inbox. Batches are encoded ahead and in parallel
/// (<see cref="BatcherOptions.EncodeParallelism"/>) and published one at a time, in order (<see cref="DaPublisher"/>,
/// which fails over to L1 calldata), into an <see cref="IBatchSink"/>: L1 posts followed by <see cref="L1PostTracker"/>,
/// or the journal with L1 posting off. Whenever L1 disagrees with the checkpoint (at start, or the tracker notices),
/// the loop first reconciles with the inbox (<see cref="InboxReconciliation"/>) and posts again what L1 lost
/// (<see cref="LostBatchReposter"/>).
/// </summary>
public sealed partial class BatcherPipeline : IDisposable
{
    private readonly BatcherOptions _options;
    private readonly string _dataDirectory;
    private readonly ISealedBlockSource _source;
    private readonly IDaClient _da;
    private readonly BatcherStatus _status;
    private readonly BatcherMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CheckpointState _state;
    private readonly BatchJournal _journal;
    private readonly BatchEncoderPool _encoders;
    private readonly BatchBuilder _builder;
    private readonly DaPublisher _publisher;
    private readonly ReconcileRequests _requests;
    private readonly ResiliencePipeline _l1Retry;
    private IBatchSink _sink;
    private L1PostTracker? _tracker;
    private InboxReconciliation? _reconciliation;
    private LostBatchReposter? _reposts;
    private DateTimeOffset? _lastBatchAt;

    /// <summary>One replica's batcher in a replica set: see <see cref="InboxReconciler"/>'s <c>replicaSet</c>.</summary>
    public bool ReplicaSet { get; init; }

    public BatcherPipeline(
        BatcherOptions options, string dataDirectory, ISealedBlockSource source, IDaClient da, BatcherStatus status,
        BatcherMetrics metrics, TimeProvider time, ILogger logger, IForcedInclusionSource? forced = null)
    {
        _options = options;
        _dataDirectory = dataDirectory;
        _source = source;
        _da = da;
        _status = status;
        _metrics = metrics;
        _time = time;
        _logger = logger;
        _journal = new BatchJournal(Path.Combine(dataDirectory, options.L1.JournalFile));
        _state = new CheckpointState(new CheckpointFile(Path.Combine(dataDirectory, options.CheckpointFile)), status, _journal);
        _encoders = new BatchEncoderPool(new BatchCodecOptions(BodyLayout.Columnar, BodyCompression.Zstd, options.CompressionLevel));
        _builder = new BatchBuilder(source, time, forced);
        _publisher = new DaPublisher(da, options, options.L1.Enabled, status, metrics, time, logger);
        _requests = new ReconcileRequests(logger);
        _sink = new JournalSink(_journal, _state, status, options.EncodeParallelism);

        // L1 being away is not a reason to stop: wait (up to 5 s between tries) and show it in the status.
        _l1Retry = L1Retry.Create(time, TimeSpan.FromMilliseconds(200), static e => L1Retry.IsTransient(e), (e, _) =>
        {
            _status.SetError(BatcherErrorSource.L1, e.Message);
            LogL1Unreachable(_logger, e.Message);
        });
    }

    /// <summary>
    /// Runs just after a post is saved in the checkpoint and before it is sent: lets tests stop the
    /// batcher at the worst moment, as a crash would.
    /// </summary>
    internal Func<PostRecord, Task>? BeforeBroadcast { get; set; }

    /// <summary>The L1 address posts come from (null with L1 posting off).</summary>
    public string? PosterAddress => _tracker?.Poster.Address;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            await StartAsync(cancellationToken).ConfigureAwait(false);
            _status.SetPhase(BatcherPhase.Running);
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var tracking = _tracker is null ? Task.CompletedTask : _tracker.TrackAsync(stop.Token);
            try
            {
                await BatchLoopAsync(stop).ConfigureAwait(false);
            }
            finally
            {
                await stop.CancelAsync().ConfigureAwait(false);
                await tracking.ConfigureAwait(false);
            }

            _status.SetPhase(BatcherPhase.Stopped);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            _status.SetPhase(BatcherPhase.Stopped);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            _status.SetError(BatcherErrorSource.Batcher, e.Message);
            _status.SetPhase(BatcherPhase.Faulted);
            LogFaulted(_logger, e.Message, e);
            throw;
        }
    }

    private async Task StartAsync(CancellationToken cancellationToken)
    {
        _state.Load();
        if (!_options.L1.Enabled)
        {
            LogStartedWithoutL1(_logger, _state.Checkpoint.NextBatchIndex, _state.Checkpoint.NextBlock);
            return;
        }

        var key = L1PosterKey.Load(_options.L1, _dataDirectory);
        var poster = await _l1Retry.ExecuteAsync(
            async ct => await L1Poster.ConnectAsync(_options.L1.RpcUrl, key, _options.L1.InboxAddress, _options.L1, _time, _logger, ct).ConfigureAwait(false),
            cancellationToken).ConfigureAwait(false);
        var reconciler = new InboxReconciler(poster, _journal, ReplicaSet);
        _tracker = new L1PostTracker(poster, reconciler, _state, _requests, _l1Retry, _options.L1, _status, _time, _logger) { BeforeBroadcast = BeforeBroadcast };
        _reposts = new LostBatchReposter(_tracker, _publisher, _da, _journal, _builder, _encoders, _options, _status, _metrics, _time, _logger);
        _reconciliation = new InboxReconciliation(reconciler, _state, _requests, _tracker, _reposts, _source, _l1Retry, _options.L1.PollIntervalMs, _status, _metrics, _time, _logger);
        _sink = new L1PostSink(_journal, _tracker);

        var pendingNonce = await _l1Retry.ExecuteAsync(async ct => await poster.GetPendingNonceAsync(ct).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        var checkpoint = _state.Checkpoint;
        var afterInFlight = checkpoint.InFlight.Count > 0 ? checkpoint.InFlight[^1].Nonce + 1 : 0;
        checkpoint.NextNonce = Math.Max(pendingNonce, afterInFlight);

        // Whatever happened to L1 while the batcher was down (a reset, a deep reorg, a lost checkpoint), the
        // checkpoint and the inbox agree before anything new is posted.
        await _reconciliation.ReconcileAsync(new L1Disagreement("start", "at start"), atStart: true, cancellationToken).ConfigureAwait(false);
        LogStarted(_logger, checkpoint.NextBatchIndex, checkpoint.NextBlock, checkpoint.InFlight.Count, poster.Address, poster.Inbox);
        _status.SetNextBlock(_state.Checkpoint.NextBlock);
        _status.SetInFlight(_state.Checkpoint.InFlight.Count);
        _status.SetConfirmed(_state.Checkpoint.LastConfirmedBatch ?? -1);
    }

    private async Task BatchLoopAsync(CancellationTokenSource stop)
    {
        var cancellationToken = stop.Token;
        // Batches are built ahead of the one on its way to DA and L1, several at once (one per core by
        // default), so encoding overlaps with DA and disk latency and with itself. Production starts where
        // the checkpoint stands and continues from each batch's end, which is where the checkpoint will
        // stand once that batch is published.
        BatchProducer? producer = null;
        Task<BuiltBatch>? building = null;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                if (_reconciliation is not null && _tracker is not null && _reposts is not null)
                {
                    // Reconciling and posting again what L1 lost come before any new batch.
                    if (_requests.Take() is { } disagreement)
                    {
                        if (await _reconciliation.ReconcileAsync(disagreement, atStart: false, cancellationToken).ConfigureAwait(false))
                        {
                            await StopProducerAsync(producer, building).ConfigureAwait(false);
                            (producer, building) = (null, null);
                        }

                        continue;
                    }

                    if (!await _tracker.WaitForSlotAsync(cancellationToken).ConfigureAwait(false)
                        || await _reposts.RepostNextAsync(cancellationToken).ConfigureAwait(false))
                    {
                        continue;
                    }
                }

                producer ??= NewProducer();
                building ??= producer.NextAsync(cancellationToken);
                if (_tracker is not null && !building.IsCompleted)
                {
                    // Waiting for blocks must not keep the loop from a reconciliation the tracker asks for.
                    await Task.WhenAny(building, _requests.Signal).ConfigureAwait(false);
                    if (!building.IsCompleted)
                    {
                        continue;
                    }
                }

                var batch = await building.ConfigureAwait(false);
                building = null;
                if (!await PublishGroupAsync(batch, producer, cancellationToken).ConfigureAwait(false))
                {
                    // Failed over with a batch too large for calldata: drop what was built ahead and build again
                    // from this batch on, smaller.
                    await producer.DisposeAsync().ConfigureAwait(false);
                    producer = null;
                }
            }
        }
        finally
        {
            // The tracker stops first: a loop that failed mid-post (a crash, as far as L1 is concerned) must not
            // have the tracker send that post while the batches built ahead are being discarded.
            await stop.CancelAsync().ConfigureAwait(false);
            await StopProducerAsync(producer, building).ConfigureAwait(false);
        }
    }

    private BatchProducer NewProducer()
    {
        var checkpoint = _state.Checkpoint;
        var calldataBound = _publisher.CalldataBound;
        return new BatchProducer(_builder, _encoders, _options.ChainId, _options.EncodeParallelism,
            () => _status.FailedOver ? Math.Min(calldataBound, _options.MaxBatchBytes) : _options.MaxBatchBytes, MaxAge,
            checkpoint.NextBatchIndex, checkpoint.NextBlock, checkpoint.NextSequence, checkpoint.ParentAccumulator.HexToByteArray(),
            checkpoint.NextForcedIndex);
    }

    /// <summary>
    /// Publishes <paramref name="batch"/> and, as far as the sink takes a group, the batches built already, then hands
    /// them to the sink. False when the batch must be built again, smaller (failed over, too large for calldata).
    /// </summary>
    private async Task<bool> PublishGroupAsync(BuiltBatch batch, BatchProducer producer, CancellationToken cancellationToken)
    {
        _status.SetPendingBytes(_state.InFlightBytes() + batch.RawBytes);
        var first = await _publisher.PublishAsync(batch, cancellationToken).ConfigureAwait(false);
        if (first.Outcome == PublishOutcome.TooLargeForCalldata)
        {
            return false;
        }

        var group = new List<PublishedBatch>(_sink.MaxGroup) { Published(batch, first) };
        while (group.Count < _sink.MaxGroup && producer.TryTakeBuilt(out var next))
        {
            _status.SetPendingBytes(next.RawBytes);
            var published = await _publisher.PublishAsync(next, cancellationToken).ConfigureAwait(false);
            if (published.Outcome == PublishOutcome.TooLargeForCalldata)
            {
                throw new InvalidOperationException("without L1 posting there is no calldata failover, so DA must take the batch");
            }

            group.Add(Published(next, published));
        }

        await _sink.TakeAsync(group, cancellationToken).ConfigureAwait(false);
        long groupBytes = 0;
        foreach (var (done, commitment) in group)
        {
            groupBytes += done.RawBytes;
            var calldata = commitment.Kind == DaCommitmentKind.L1Calldata;
            _status.Posted(done.Index, calldata);
            _metrics.BatchPosted(done.RawBytes, done.Bytes.Length, calldata);
            LogBatch(_logger, done.Index, done.FirstBlock, done.LastBlock, done.TransactionCount, done.RawBytes, done.Bytes.Length, commitment.Kind);
        }

        MeasureThroughput(groupBytes);
        return true;
    }

    /// <summary>The published batch; DA's refusal of a batch (not a failover) stops the batcher.</summary>
    private static PublishedBatch Published(BuiltBatch batch, PublishResult result) => result.Outcome switch
    {
        PublishOutcome.Da or PublishOutcome.Calldata => new PublishedBatch(batch, result.Commitment!),
        _ => throw (Exception?)result.Failure?.ToException() ?? new InvalidOperationException($"batch {batch.Index} was not published ({result.Outcome})"),
    };

    /// <summary>Drops the batches built ahead (and the one being waited for).</summary>
    private static async Task StopProducerAsync(BatchProducer? producer, Task<BuiltBatch>? next)
    {
        if (producer is not null)
        {
            await producer.DisposeAsync().ConfigureAwait(false);
        }

        if (next is not null)
        {
            // Ends once production stops; what it ends with no longer matters.
            await next.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).ConfigureAwait(false);
        }
    }

    private TimeSpan MaxAge => TimeSpan.FromMilliseconds(_options.MaxBatchAgeMs);

    /// <summary>Raw bytes per second between publishing rounds (one batch, or a group written to the journal together).</summary>
    private void MeasureThroughput(long rawBytes)
    {
        var now = _time.GetUtcNow();
        if (_lastBatchAt is { } previous && now > previous)
        {
            var rate = rawBytes / (now - previous).TotalSeconds;
            _status.SetThroughput(_status.BytesPerSecond == 0 ? rate : 0.8 * _status.BytesPerSecond + 0.2 * rate);
        }

        _lastBatchAt = now;
    }

    public void Dispose()
    {
        _encoders.Dispose();
        _state.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Batcher starts at batch {BatchIndex}, block {Block}, {InFlight} posts in flight; posting from {Address} to inbox {Inbox}")]
    private static partial void LogStarted(ILogger logger, ulong batchIndex, ulong block, int inFlight, string address, string inbox);

    [LoggerMessage(Level = LogLevel.Information, Message = "Batcher starts at batch {BatchIndex}, block {Block}; L1 posting is off, commitments go to the journal")]
    private static partial void LogStartedWithoutL1(ILogger logger, ulong batchIndex, ulong block);

    [LoggerMessage(Level = LogLevel.Information, Message = "Batch {BatchIndex}: blocks {First}-{Last}, {Transactions} txs, {RawBytes} raw bytes -> {BatchBytes} bytes, {Destination}")]
    private static partial void LogBatch(ILogger logger, ulong batchIndex, ulong first, ulong last, int transactions, long rawBytes, int batchBytes, DaCommitmentKind destination);

    [LoggerMessage(Level = LogLevel.Warning, Message = "L1 node unreachable or refusing: {Reason}")]
    private static partial void LogL1Unreachable(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Batcher stopped: {Reason}")]
    private static partial void LogFaulted(ILogger logger, string reason, Exception exception);
}
