using System.Diagnostics;
using Batcher.Format;
using Batcher.Hosting;
using Batcher.L1;
using DaClient;
using Microsoft.Extensions.Logging;
using Nethereum.Hex.HexConvertors.Extensions;
using Nethereum.JsonRpc.Client;
using Primitives.Chain;

namespace Batcher.Pipeline;

/// <summary>
/// Sealed blocks → batches → DA → L1 inbox. Batches are encoded ahead and in parallel
/// (<see cref="BatcherOptions.EncodeParallelism"/>) and published one at a time, in order; up to
/// <see cref="L1PostingOptions.MaxPendingPosts"/> posts are in flight on L1 (consecutive nonces
/// keep them in order) while a tracker waits for their confirmations. The checkpoint is saved
/// before each post is sent, so a restart re-sends the same signed transaction. Whenever L1 disagrees
/// with the checkpoint (at start, or the tracker notices), the loop reconciles with the inbox first and
/// posts again what L1 lost (BatcherPipeline.Reconciliation.cs).
/// </summary>
public sealed partial class BatcherPipeline : IDisposable
{
    private readonly BatcherOptions _options;
    private readonly ISealedBlockSource _source;
    private readonly IDaClient _da;
    private readonly BatcherStatus _status;
    private readonly BatcherMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CheckpointFile _checkpointFile;
    private readonly BatchJournal _journal;
    private readonly BatchEncoderPool _encoders;
    private readonly BatchBuilder _builder;
    private readonly SemaphoreSlim _checkpointLock = new(1, 1);
    private readonly string _dataDirectory;
    private BatcherCheckpoint _checkpoint = new();
    private L1Poster? _poster;
    private TaskCompletionSource _inFlightChanged = NewSignal();
    private DateTimeOffset? _daDownSince;
    private DateTimeOffset _nextDaProbe;
    private DateTimeOffset? _lastBatchAt;

    /// <summary>The post saved in the checkpoint whose first broadcast the batch loop has not attempted yet.</summary>
    private PostRecord? _awaitingFirstSend;

    public BatcherPipeline(
        BatcherOptions options, string dataDirectory, ISealedBlockSource source, IDaClient da, BatcherStatus status,
        BatcherMetrics metrics, TimeProvider time, ILogger logger)
    {
        _options = options;
        _dataDirectory = dataDirectory;
        _source = source;
        _da = da;
        _status = status;
        _metrics = metrics;
        _time = time;
        _logger = logger;
        _checkpointFile = new CheckpointFile(Path.Combine(dataDirectory, options.CheckpointFile));
        _journal = new BatchJournal(Path.Combine(dataDirectory, options.L1.JournalFile));
        _encoders = new BatchEncoderPool(new BatchCodecOptions(BodyLayout.Columnar, BodyCompression.Zstd, options.CompressionLevel));
        _builder = new BatchBuilder(source, time);
    }

    /// <summary>
    /// Runs just after a post is saved in the checkpoint and before it is sent: lets tests stop the
    /// batcher at the worst moment, as a crash would.
    /// </summary>
    internal Func<PostRecord, Task>? BeforeBroadcast { get; set; }

    /// <summary>The L1 address posts come from (null with L1 posting off).</summary>
    public string? PosterAddress => _poster?.Address;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            await StartAsync(cancellationToken).ConfigureAwait(false);
            _status.SetState("running");
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var tracker = _poster is null ? Task.CompletedTask : TrackAsync(stop.Token);
            try
            {
                await BatchLoopAsync(stop).ConfigureAwait(false);
            }
            finally
            {
                await stop.CancelAsync().ConfigureAwait(false);
                await tracker.ConfigureAwait(false);
            }

            _status.SetState("stopped");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            _status.SetState("stopped");
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            _status.SetError(e.Message);
            _status.SetState("faulted");
            LogFaulted(_logger, e.Message, e);
            throw;
        }
    }

    private async Task StartAsync(CancellationToken cancellationToken)
    {
        _checkpoint = _checkpointFile.Load();
        if (_options.L1.Enabled)
        {
            var key = ResolveKey();
            _poster = await RetryAsync(() => L1Poster.ConnectAsync(_options.L1.RpcUrl, key, _options.L1.InboxAddress, _options.L1, _time, _logger), cancellationToken).ConfigureAwait(false);
            _reconciler = new InboxReconciler(_poster, _journal);
            var pendingNonce = await RetryAsync(_poster.GetPendingNonceAsync, cancellationToken).ConfigureAwait(false);
            var afterInFlight = _checkpoint.InFlight.Count > 0 ? _checkpoint.InFlight[^1].Nonce + 1 : 0;
            _checkpoint.NextNonce = Math.Max(pendingNonce, afterInFlight);

            // Whatever happened to L1 while the batcher was down (a reset, a deep reorg, a lost checkpoint), the
            // checkpoint and the inbox agree before anything new is posted.
            await ReconcileAsync(new L1Disagreement("start", "at start"), atStart: true, cancellationToken).ConfigureAwait(false);
            LogStarted(_logger, _checkpoint.NextBatchIndex, _checkpoint.NextBlock, _checkpoint.InFlight.Count, _poster.Address, _poster.Inbox);
        }
        else
        {
            LogStartedWithoutL1(_logger, _checkpoint.NextBatchIndex, _checkpoint.NextBlock);
        }

        _status.SetNextBlock(_checkpoint.NextBlock);
        _status.SetInFlight(_checkpoint.InFlight.Count);
        _status.SetConfirmed(_checkpoint.LastConfirmedBatch ?? -1);
    }

    private Nethereum.Signer.EthECKey ResolveKey() => L1PosterKey.Load(_options.L1, _dataDirectory);

    private async Task BatchLoopAsync(CancellationTokenSource stop)
    {
        var cancellationToken = stop.Token;
        // Batches are built ahead of the one on its way to DA and L1, several at once (one per core by
        // default), so encoding overlaps with DA and disk latency and with itself. Production starts where
        // the checkpoint stands and continues from each batch's end, which is where the checkpoint will
        // stand once that batch is published.
        BatchProducer? producer = null;
        Task<BuiltBatch>? building = null;
        var calldataBound = _options.L1.CalldataMaxBatchBytes - 1024;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                if (_poster is not null)
                {
                    // Reconciling and posting again what L1 lost come before any new batch.
                    if (TakeReconcileRequest() is { } disagreement)
                    {
                        if (await ReconcileAsync(disagreement, atStart: false, cancellationToken).ConfigureAwait(false))
                        {
                            await StopProducerAsync(producer, building).ConfigureAwait(false);
                            (producer, building) = (null, null);
                        }

                        continue;
                    }

                    if (!await WaitForPostSlotAsync(cancellationToken).ConfigureAwait(false))
                    {
                        continue;
                    }

                    if (_reposts.TryPeek(out var lost))
                    {
                        await RepostAsync(lost, calldataBound, cancellationToken).ConfigureAwait(false);
                        _reposts.Dequeue();
                        _status.SetRepostsPending(_reposts.Count);
                        continue;
                    }
                }

                producer ??= new BatchProducer(_builder, _encoders, _options.ChainId, _options.EncodeParallelism,
                    () => _status.FailedOver ? Math.Min(calldataBound, _options.MaxBatchBytes) : _options.MaxBatchBytes, MaxAge,
                    _checkpoint.NextBatchIndex, _checkpoint.NextBlock, _checkpoint.NextSequence, _checkpoint.ParentAccumulator.HexToByteArray());
                building ??= producer.NextAsync(cancellationToken);
                if (_poster is not null && !building.IsCompleted)
                {
                    // Waiting for blocks must not keep the loop from a reconciliation the tracker asks for.
                    await Task.WhenAny(building, _reconcileSignal.Task).ConfigureAwait(false);
                    if (!building.IsCompleted)
                    {
                        continue;
                    }
                }

                var batch = await building.ConfigureAwait(false);
                building = null;
                _status.SetPendingBytes(InFlightBytes() + batch.RawBytes);
                var commitment = await PublishAsync(batch, calldataBound, cancellationToken).ConfigureAwait(false);
                if (commitment is null)
                {
                    // Failed over with a batch too large for calldata: drop what was built ahead and build again
                    // from this batch on, smaller.
                    await producer.DisposeAsync().ConfigureAwait(false);
                    producer = null;
                    continue;
                }

                if (_poster is not null)
                {
                    await PostAsync(batch, commitment, cancellationToken).ConfigureAwait(false);
                    MeasureThroughput(batch.RawBytes);
                    Published(batch, commitment);
                    continue;
                }

                // L1 posting off: batches that are built already (at most one round of encoders' worth, so the
                // journal never lags far) go to DA too, then all of them into the journal and the checkpoint with
                // one fsync each instead of one per batch.
                var published = new List<(BuiltBatch Batch, DaCommitment Commitment)> { (batch, commitment) };
                while (published.Count <= _options.EncodeParallelism && producer.TryTakeBuilt(out var next))
                {
                    _status.SetPendingBytes(next.RawBytes);
                    var nextCommitment = await PublishAsync(next, calldataBound, cancellationToken).ConfigureAwait(false)
                        ?? throw new InvalidOperationException("without L1 posting there is no calldata failover, so DA must take the batch");
                    published.Add((next, nextCommitment));
                }

                await JournalAsync(published, cancellationToken).ConfigureAwait(false);
                long groupBytes = 0;
                foreach (var (done, doneCommitment) in published)
                {
                    groupBytes += done.RawBytes;
                    Published(done, doneCommitment);
                }

                MeasureThroughput(groupBytes);
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

    private void Published(BuiltBatch batch, DaCommitment commitment)
    {
        var calldata = commitment.Kind == DaCommitmentKind.L1Calldata;
        _status.Posted(batch.Index, calldata);
        _metrics.BatchPosted(batch.RawBytes, batch.Bytes.Length, calldata);
        LogBatch(_logger, batch.Index, batch.FirstBlock, batch.LastBlock, batch.TransactionCount, batch.RawBytes, batch.Bytes.Length, commitment.Kind);
    }

    /// <summary>DA first; after DA has failed for the configured time, L1 calldata (null: rebuild smaller).</summary>
    private async Task<DaCommitment?> PublishAsync(BuiltBatch batch, int calldataBound, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (_status.FailedOver && _time.GetUtcNow() >= _nextDaProbe)
            {
                var health = await _da.CheckHealthAsync(cancellationToken).ConfigureAwait(false);
                if (health.IsHealthy)
                {
                    _status.SetFailedOver(null);
                    _daDownSince = null;
                    LogDaRecovered(_logger, health.Detail);
                }
                else
                {
                    _nextDaProbe = _time.GetUtcNow() + TimeSpan.FromMilliseconds(_options.DaRecoveryProbeMs);
                }
            }

            if (!_status.FailedOver)
            {
                var started = Stopwatch.GetTimestamp();
                try
                {
                    // The batch's hash goes along so a content-addressed store does not hash it again.
                    var commitment = await _da.PutAsync(batch.Bytes, batch.Hash, cancellationToken).ConfigureAwait(false);
                    var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                    _status.SetDaLatency(elapsed);
                    _metrics.DaPut(elapsed);
                    _daDownSince = null;
                    _status.SetError(null);
                    return commitment;
                }
                catch (Exception e) when (e is DaUnavailableException or HttpRequestException or IOException or TimeoutException && !cancellationToken.IsCancellationRequested)
                {
                    _metrics.DaFailure();
                    var now = _time.GetUtcNow();
                    _daDownSince ??= now;
                    _status.SetError("DA: " + e.Message);
                    LogDaFailed(_logger, batch.Index, e.Message);
                    if (_poster is null || now - _daDownSince.Value < TimeSpan.FromMilliseconds(_options.DaFailoverAfterMs))
                    {
                        await Task.Delay(TimeSpan.FromMilliseconds(_options.DaRetryDelayMs), _time, cancellationToken).ConfigureAwait(false);
                        continue;
                    }

                    _status.SetFailedOver(now);
                    _nextDaProbe = now + TimeSpan.FromMilliseconds(_options.DaRecoveryProbeMs);
                    LogFailover(_logger, (now - _daDownSince.Value).TotalMilliseconds);
                }
            }

            if (batch.Bytes.Length <= _options.L1.CalldataMaxBatchBytes)
            {
                // Same as DaCommitment.ForCalldata(batch.Bytes), from the hash computed when the batch was built.
                return new DaCommitment(DaCommitmentKind.L1Calldata, batch.Hash);
            }

            if (batch.FirstBlock != batch.LastBlock)
            {
                return null;
            }

            // One block alone is too large for an L1 transaction: it can only go to DA; wait for it.
            LogBlockTooLargeForCalldata(_logger, batch.FirstBlock, batch.Bytes.Length);
            await Task.Delay(TimeSpan.FromMilliseconds(_options.DaRetryDelayMs), _time, cancellationToken).ConfigureAwait(false);
            _nextDaProbe = _time.GetUtcNow();
        }
    }

    private async Task PostAsync(BuiltBatch batch, DaCommitment commitment, CancellationToken cancellationToken)
    {
        var line = BatchRecord.Of(batch, commitment);
        var calldata = commitment.Kind == DaCommitmentKind.L1Calldata;
        var input = L1Poster.BuildInput(AppendBatch(line), calldata ? batch.Bytes : default);

        // In the journal before the checkpoint moves past the batch: should L1 lose the post, the journal is
        // what lets the same batch be posted again.
        await _journal.AppendAsync([line], cancellationToken).ConfigureAwait(false);
        await SendPostAsync(line, batch.Bytes.Length, input, batch, cancellationToken).ConfigureAwait(false);
    }

    private static AppendBatchFunction AppendBatch(BatchRecord line) => new()
    {
        BatchIndex = line.BatchIndex,
        FirstBlock = line.FirstBlock,
        LastBlock = line.LastBlock,
        BatchHash = line.BatchHash.HexToByteArray(),
        Accumulator = line.Accumulator.HexToByteArray(),
        DaCommitment = line.DaCommitment.HexToByteArray(),
    };

    /// <summary>
    /// Signs a post under the next nonce, saves it in the checkpoint (moving past <paramref name="advance"/>, a new
    /// batch; a batch posted again moves nothing) and sends it.
    /// </summary>
    private async Task<PostRecord> SendPostAsync(BatchRecord line, int batchBytes, byte[] input, BuiltBatch? advance, CancellationToken cancellationToken)
    {
        var record = new PostRecord
        {
            BatchIndex = line.BatchIndex,
            FirstBlock = line.FirstBlock,
            LastBlock = line.LastBlock,
            BatchHash = line.BatchHash,
            Commitment = line.DaCommitment,
            BatchBytes = batchBytes,
            IsCalldata = line.Commitment.Kind == DaCommitmentKind.L1Calldata,
            Nonce = _checkpoint.NextNonce ?? 0,
        };
        await RetryAsync(() => _poster!.SignAsync(record, input, _replacing.GetValueOrDefault(record.Nonce)), cancellationToken).ConfigureAwait(false);

        await _checkpointLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _checkpoint.InFlight.Add(record);
            _awaitingFirstSend = record;
            _checkpoint.NextNonce = record.Nonce + 1;
            // In flight before the next block moves on: a reader of the status never sees the blocks of
            // this batch counted as batched while nothing is in flight and the batch is not yet confirmed.
            _status.SetInFlight(_checkpoint.InFlight.Count);
            if (advance is not null)
            {
                Advance(advance);
            }

            _checkpointFile.Save(_checkpoint);
        }
        finally
        {
            _checkpointLock.Release();
        }

        if (BeforeBroadcast is { } hook)
        {
            await hook(record).ConfigureAwait(false);
        }

        try
        {
            await _poster!.BroadcastAsync(record.Signed[0]).ConfigureAwait(false);
        }
        catch (Exception e) when (IsTransient(e))
        {
            // Saved already: the tracker sends it again once the node answers.
            LogBroadcastFailed(_logger, line.BatchIndex, e.Message);
        }
        finally
        {
            Interlocked.CompareExchange(ref _awaitingFirstSend, null, record);
        }

        return record;
    }

    private async Task JournalAsync(List<(BuiltBatch Batch, DaCommitment Commitment)> published, CancellationToken cancellationToken)
    {
        await _journal.AppendAsync(published.Select(p => BatchRecord.Of(p.Batch, p.Commitment)), cancellationToken).ConfigureAwait(false);
        await _checkpointLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            foreach (var (batch, _) in published)
            {
                Advance(batch);
            }

            _checkpoint.LastConfirmedBatch = (long)published[^1].Batch.Index;
            _checkpointFile.Save(_checkpoint);
            foreach (var (batch, _) in published)
            {
                _status.Confirmed(batch.Index);
            }
        }
        finally
        {
            _checkpointLock.Release();
        }
    }

    private void Advance(BuiltBatch batch)
    {
        _checkpoint.NextBatchIndex = batch.Index + 1;
        _checkpoint.NextBlock = batch.LastBlock + 1;
        _checkpoint.NextSequence = batch.NextSequence;
        _checkpoint.ParentAccumulator = batch.EndAccumulator.ToHex(true);
        _status.SetNextBlock(_checkpoint.NextBlock);
    }

    /// <summary>Waits until fewer than MaxPendingPosts posts are in flight; false if a reconciliation was asked for meanwhile.</summary>
    private async Task<bool> WaitForPostSlotAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            Task changed;
            await _checkpointLock.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                if (_checkpoint.InFlight.Count < _options.L1.MaxPendingPosts)
                {
                    return true;
                }

                changed = _inFlightChanged.Task;
            }
            finally
            {
                _checkpointLock.Release();
            }

            var reconcile = _reconcileSignal.Task;
            await Task.WhenAny(changed, reconcile).WaitAsync(cancellationToken).ConfigureAwait(false);
            if (reconcile.IsCompleted)
            {
                return false;
            }
        }
    }

    /// <summary>Follows posts in flight until confirmed: re-sends lost ones, bumps stuck ones.</summary>
    private async Task TrackAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(_options.L1.PollIntervalMs), _time, cancellationToken).ConfigureAwait(false);
                await TrackOnceAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (IsTransient(e))
            {
                LogL1Unreachable(_logger, e.Message);
            }
            catch (L1PostingException e)
            {
                _status.SetError(e.Message);
                _status.SetState("faulted");
                LogFaulted(_logger, e.Message, e);
                return;
            }
        }
    }

    internal async Task TrackOnceAsync(CancellationToken cancellationToken)
    {
        await _checkpointLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_reconciling || Volatile.Read(ref _reconcileRequest) is not null)
            {
                // The batch loop reconciles first; tracking posts it may give up would only waste fees.
                return;
            }

            var (view, disagreement) = await _reconciler!.CheckAsync(_checkpoint).ConfigureAwait(false);
            if (disagreement is not null)
            {
                RequestReconcile(disagreement);
                return;
            }

            var changed = false;
            var confirmedPrefix = true;
            var done = 0;
            foreach (var record in _checkpoint.InFlight)
            {
                if (ReferenceEquals(record, Volatile.Read(ref _awaitingFirstSend)))
                {
                    // Saved but not yet handed to the node by the batch loop: sending it is the loop's job
                    // (and if the loop dies here, a restart sends it, as after a crash).
                    break;
                }

                var signedBefore = record.Signed.Count;
                var minedBefore = record.MinedInBlock;
                var state = await _poster!.CheckAsync(record, view).ConfigureAwait(false);
                changed |= record.Signed.Count != signedBefore || record.MinedInBlock != minedBefore;
                if (state == PostState.Superseded)
                {
                    if (!await InInboxAsync(record, view).ConfigureAwait(false))
                    {
                        RequestReconcile(new L1Disagreement("post_superseded",
                            $"the post of batch {record.BatchIndex} under nonce {record.Nonce} can never be mined (L1 nonce {view.Nonce}, the inbox expects batch {view.NextBatchIndex})"));
                        break;
                    }

                    // The inbox holds this very batch, appended by a transaction of an earlier post of it.
                    state = PostState.Confirmed;
                }

                if (confirmedPrefix && state == PostState.Confirmed)
                {
                    done++;
                    _checkpoint.LastConfirmedBatch = (long)record.BatchIndex;
                    if (record is { MinedTxHash: { } tx, MinedInBlock: { } block })
                    {
                        _checkpoint.ConfirmedPost = new ConfirmedPost(record.BatchIndex, record.Nonce, tx, block);
                    }

                    _status.Confirmed(record.BatchIndex);
                    LogConfirmed(_logger, record.BatchIndex, record.MinedTxHash ?? "", record.MinedInBlock ?? 0);
                }
                else
                {
                    confirmedPrefix = false;
                }
            }

            if (done > 0)
            {
                _checkpoint.InFlight.RemoveRange(0, done);
                changed = true;
                _status.SetInFlight(_checkpoint.InFlight.Count);
                Interlocked.Exchange(ref _inFlightChanged, NewSignal()).TrySetResult();
            }

            if (changed)
            {
                _checkpointFile.Save(_checkpoint);
            }

            _status.SetPendingBytes(InFlightBytes());
            if (_status.LastError?.StartsWith("L1:", StringComparison.Ordinal) == true)
            {
                _status.SetError(null);
            }
        }
        finally
        {
            _checkpointLock.Release();
        }
    }

    private long InFlightBytes()
    {
        long total = 0;
        foreach (var record in _checkpoint.InFlight)
        {
            total += record.BatchBytes;
        }

        return total;
    }

    private async Task<T> RetryAsync<T>(Func<Task<T>> action, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await action().ConfigureAwait(false);
            }
            catch (Exception e) when (IsTransient(e) && !cancellationToken.IsCancellationRequested)
            {
                // L1 being away is not a reason to stop: wait (up to 5 s between tries) and show it in the status.
                _status.SetError("L1: " + e.Message);
                LogL1Unreachable(_logger, e.Message);
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(200 * attempt, 5000)), _time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private Task RetryAsync(Func<Task> action, CancellationToken cancellationToken) =>
        RetryAsync(async () =>
        {
            await action().ConfigureAwait(false);
            return true;
        }, cancellationToken);

    private static bool IsTransient(Exception e) =>
        e is HttpRequestException or RpcClientUnknownException or RpcClientTimeoutException or TaskCanceledException or IOException
        || (e is RpcResponseException && e is not L1PostingException);

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Dispose()
    {
        _encoders.Dispose();
        _checkpointLock.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Batcher starts at batch {BatchIndex}, block {Block}, {InFlight} posts in flight; posting from {Address} to inbox {Inbox}")]
    private static partial void LogStarted(ILogger logger, ulong batchIndex, ulong block, int inFlight, string address, string inbox);

    [LoggerMessage(Level = LogLevel.Information, Message = "Batcher starts at batch {BatchIndex}, block {Block}; L1 posting is off, commitments go to the journal")]
    private static partial void LogStartedWithoutL1(ILogger logger, ulong batchIndex, ulong block);

    [LoggerMessage(Level = LogLevel.Information, Message = "Batch {BatchIndex}: blocks {First}-{Last}, {Transactions} txs, {RawBytes} raw bytes -> {BatchBytes} bytes, {Destination}")]
    private static partial void LogBatch(ILogger logger, ulong batchIndex, ulong first, ulong last, int transactions, long rawBytes, int batchBytes, DaCommitmentKind destination);

    [LoggerMessage(Level = LogLevel.Information, Message = "Batch {BatchIndex} confirmed on L1 in {TxHash} (block {Block})")]
    private static partial void LogConfirmed(ILogger logger, ulong batchIndex, string txHash, ulong block);

    [LoggerMessage(Level = LogLevel.Warning, Message = "DA put of batch {BatchIndex} failed: {Reason}")]
    private static partial void LogDaFailed(ILogger logger, ulong batchIndex, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "DA has failed for {Milliseconds} ms: batches now go to L1 calldata")]
    private static partial void LogFailover(ILogger logger, double milliseconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "DA is healthy again ({Detail}): batches go to DA")]
    private static partial void LogDaRecovered(ILogger logger, string detail);

    [LoggerMessage(Level = LogLevel.Error, Message = "Block {Block} alone makes a {Bytes}-byte batch, too large for L1 calldata; waiting for DA")]
    private static partial void LogBlockTooLargeForCalldata(ILogger logger, ulong block, int bytes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Post of batch {BatchIndex} not sent yet ({Reason}); it is saved and will be re-sent")]
    private static partial void LogBroadcastFailed(ILogger logger, ulong batchIndex, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "L1 node unreachable or refusing: {Reason}")]
    private static partial void LogL1Unreachable(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Batcher stopped: {Reason}")]
    private static partial void LogFaulted(ILogger logger, string reason, Exception exception);
}
