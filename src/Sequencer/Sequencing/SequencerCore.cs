using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using Sequencer.Options;
using Sequencer.Log;
using Primitives;
using Primitives.Chain;

namespace Sequencer.Sequencing;

/// <summary>
/// The single writer. Every transaction passes through one bounded channel to one loop that gives it
/// its sequence number, accumulator and place in a block, appends it to the write-ahead log, and
/// hands it back once the group-commit fsync covering it has returned. Decoding, recovery and
/// admission all run before this, in parallel, on the callers' threads.
/// </summary>
internal sealed partial class SequencerCore : IHostedService, IDisposable
{
    private readonly SequencerOptions _options;
    private readonly ChainStore _store;
    private readonly NonceBook _nonces;
    private readonly BlockAssembler _blocks;
    private readonly SequencerMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger<SequencerCore> _logger;
    private readonly IChainObserver[] _observers;
    private readonly Channel<SequencingRequest> _queue;
    private readonly ConcurrentQueue<DurabilityWaiter> _waiters = new();
    private readonly Lock _drainLock = new();
    private readonly long _blockTicks;
    private readonly CancellationTokenSource _stopping = new();
    private readonly DataDirectoryLock _dataDirectory;

    private WriteAheadLog? _log;
    private History.HistoryIndexer? _indexer;
    private Task? _writer;
    private long _nextSequence;
    private Hash32 _accumulator;
    private long _openedAt;
    private long _published;
    private volatile bool _running;

    public SequencerCore(
        IOptions<SequencerOptions> options,
        ChainStore store,
        NonceBook nonces,
        BlockAssembler blocks,
        SequencerMetrics metrics,
        TimeProvider time,
        ILogger<SequencerCore> logger,
        IEnumerable<IChainObserver> observers,
        DataDirectoryLock dataDirectory)
    {
        _options = options.Value;
        _dataDirectory = dataDirectory;
        _store = store;
        _nonces = nonces;
        _blocks = blocks;
        _metrics = metrics;
        _time = time;
        _logger = logger;
        _observers = observers.ToArray();
        _blockTicks = _options.BlockTimeMs * Stopwatch.Frequency / 1000;
        _queue = Channel.CreateBounded<SequencingRequest>(new BoundedChannelOptions(_options.QueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _metrics.ObserveQueue(() => _queue.Reader.Count, () => _nonces.HeldCount);
    }

    /// <summary>True once recovery finished and until shutdown or a log failure.</summary>
    public bool IsReady => _running && _log?.Failure is null;

    public RecoveredChain? Recovery { get; private set; }

    public WriteAheadLog? Log => _log;

    private string WalDirectory => Path.Combine(_dataDirectory.Directory, "wal");

    private string HistoryDirectory => Path.Combine(_dataDirectory.Directory, "history");

    /// <summary>The background writer of the history index and checkpoints, once started.</summary>
    public History.HistoryIndexer? Indexer => _indexer;

    public int QueueDepth => _queue.Reader.Count;

    public int HeldCount => _nonces.HeldCount;

    /// <summary>
    /// Replays the log into the chain store, once; <see cref="StartAsync"/> does it if nobody did before. The program
    /// calls it before the host starts, so that a damaged log ends the process with one line rather than a host failure.
    /// The data directory is locked (<see cref="DataDirectoryLock"/>, a constructor dependency) before this can run.
    /// </summary>
    /// <exception cref="WalCorruptedException">The log holds damage that a crash cannot explain; nothing was changed.</exception>
    public void Recover()
    {
        if (Recovery is not null)
        {
            return;
        }

        var started = Stopwatch.GetTimestamp();
        Recovery = ChainRecovery.Replay(WalDirectory, HistoryDirectory, _store, _nonces, _blocks,
            _options.History.ChunkTransactions, Math.Max(1, _options.History.MaxBytes / 2), _options.Wal.Fsync);
        _nextSequence = Recovery.NextSequence;
        _accumulator = Recovery.Accumulator;
        _published = _nextSequence;
        if (Recovery.CheckpointProblem is { } problem)
        {
            LogCheckpointIgnored(problem);
        }

        LogRecovered(Recovery.Report.Records, Recovery.Report.Segments, _store.LatestBlockNumber, Recovery.Report.TornBytesCut,
            Recovery.Checkpoint?.Position.Sequence ?? 0, Recovery.ChunksRebuilt, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        if (Recovery.Report.Damage is { IsTornWrite: true } torn)
        {
            LogTornWriteCut(torn.Describe());
        }
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        Recover();
        _log = new WriteAheadLog(WalDirectory, _options.Wal.SegmentBytes, _options.Wal.Fsync, _nextSequence, OnDurable, OnLogFailure, OnLogRecovered);
        _indexer = new History.HistoryIndexer(_store, _store.History!, _options.History, _blocks.GasLimit, _options.Wal.Fsync,
            Recovery!.Checkpoint?.Position.Sequence ?? -1, _logger);
        _running = true;
        _writer = Task.Factory.StartNew(RunWriterAsync, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _running = false;
        _queue.Writer.TryComplete();
        if (_writer is not null)
        {
            await _writer.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        _indexer?.Dispose();
        _log?.Dispose();

        // Left only if the log was failing at shutdown: never durable, so never confirmed.
        RejectWaiters("write-ahead log unavailable at shutdown; this transaction was not confirmed");
    }

    /// <summary>
    /// Sequences one transaction. Completes once it is durable, or with the reason it was not taken.
    /// Waits up to QueueWaitMs for room when the queue is full.
    /// </summary>
    public async ValueTask<SequencingOutcome> SubmitAsync(SequencingRequest request, CancellationToken cancellationToken) =>
        await EnqueueAsync(request, cancellationToken).ConfigureAwait(false) ?? await request.Completion.ConfigureAwait(false);

    /// <summary>
    /// Puts a transaction into the queue without waiting for its outcome: null once it is queued (then
    /// <see cref="SequencingRequest.Completion"/> carries the outcome), else the reason it was not taken. For a caller
    /// that needs its requests queued in order before it awaits any of them (the sponsored lane, which hands out an
    /// identity account's nonces in queue order). Waits up to QueueWaitMs for room when the queue is full.
    /// </summary>
    public async ValueTask<SequencingOutcome?> EnqueueAsync(SequencingRequest request, CancellationToken cancellationToken)
    {
        if (!_running)
        {
            return SequencingOutcome.Rejected(SequencingRejection.NotRunning, "sequencer is not running (starting up or shutting down)");
        }

        // A re-send of a transaction older than memory: its nonce is used, so the core would call it "nonce too low".
        // Found here, on the caller's thread, so that the disk lookup never holds up the single writer.
        if (request.Nonce < _nonces.GetPending(request.Sender) && !_store.TryGetSequence(request.Hash, out _)
            && _store.GetTransaction(request.Hash) is { } old)
        {
            return SequencingOutcome.Confirmed(old);
        }

        if (!_queue.Writer.TryWrite(request))
        {
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            wait.CancelAfter(_options.QueueWaitMs);
            try
            {
                await _queue.Writer.WriteAsync(request, wait.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                _metrics.Rejected("queue_full");
                return SequencingOutcome.Rejected(SequencingRejection.QueueFull,
                    $"sequencer busy: {_options.QueueCapacity} transactions are queued; retry shortly");
            }
            catch (ChannelClosedException)
            {
                return SequencingOutcome.Rejected(SequencingRejection.NotRunning, "sequencer is shutting down");
            }
        }

        return null;
    }

    public void Dispose()
    {
        _stopping.Dispose();
        _metrics.Dispose();
    }

    private async Task RunWriterAsync()
    {
        var reader = _queue.Reader;
        var maxBatch = _options.MaxWriterBatch;
        while (true)
        {
            var processed = 0;
            while (processed < maxBatch && reader.TryRead(out var request))
            {
                Process(request);
                processed++;
            }

            DoTimedWork();
            _log!.Commit();
            if (processed > 0)
            {
                continue;
            }

            if (!await WaitForWorkAsync(reader).ConfigureAwait(false))
            {
                break;
            }
        }

        // Shutting down: seal what is open so the log's last block is complete, then drain.
        if (_blocks.Open is not null)
        {
            Seal();
        }

        _log!.Commit();
    }

    /// <summary>Waits for a transaction or the next deadline (block seal, nonce-hold expiry). False when the queue is closed.</summary>
    private async ValueTask<bool> WaitForWorkAsync(ChannelReader<SequencingRequest> reader)
    {
        var deadline = NextDeadline();
        if (deadline is null)
        {
            return await reader.WaitToReadAsync().ConfigureAwait(false);
        }

        var delay = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), deadline.Value);
        if (delay <= TimeSpan.Zero)
        {
            return true;
        }

        using var timeout = new CancellationTokenSource(delay);
        try
        {
            return await reader.WaitToReadAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return true;
        }
    }

    private long? NextDeadline()
    {
        long? deadline = _blocks.Open is not null ? _openedAt + _blockTicks : null;
        if (_nonces.NextDeadline() is { } hold && (deadline is null || hold < deadline))
        {
            deadline = hold;
        }

        return deadline;
    }

    private void DoTimedWork()
    {
        var now = Stopwatch.GetTimestamp();
        if (_blocks.Open is not null && now - _openedAt >= _blockTicks)
        {
            Seal();
        }

        _nonces.ExpireDue(now, ExpireHeld);
    }

    private void Process(SequencingRequest request)
    {
        if (_log!.Failure is not null)
        {
            Reject(request, SequencingRejection.LogUnavailable, "write-ahead log unavailable: " + _log.Failure.Message);
            return;
        }

        // Idempotent re-send: the same bytes get the same place, never a second sequence number.
        if (_store.TryGetSequence(request.Hash, out var existing))
        {
            var tx = _store.GetSequenced(existing)!;
            if (existing < _store.DurableEnd)
            {
                request.Complete(SequencingOutcome.Confirmed(tx));
            }
            else
            {
                Await(new DurabilityWaiter(existing + 1, request, tx, null));
            }

            return;
        }

        var next = _nonces.GetPending(request.Sender);
        if (request.Nonce < next)
        {
            Reject(request, SequencingRejection.NonceTooLow, $"nonce too low: next nonce for {request.Sender} is {next}, got {request.Nonce}");
            return;
        }

        if (request.Nonce > next)
        {
            Hold(request, next);
            return;
        }

        Sequence(request);
        var sender = request.Sender;
        var following = request.Nonce + 1;
        while (_nonces.TryTake(sender, following, out var held))
        {
            var tx = Sequence(held.Request);
            foreach (var duplicate in held.Duplicates)
            {
                Await(new DurabilityWaiter(tx.Sequence + 1, duplicate, tx, null));
            }

            following++;
        }
    }

    private void Hold(SequencingRequest request, ulong expected)
    {
        var result = _nonces.TryHold(request, Stopwatch.GetTimestamp());
        switch (result)
        {
            case HoldResult.Held:
                return;
            case HoldResult.NonceTaken:
                Reject(request, SequencingRejection.NonceTooHigh,
                    $"nonce too high: expected {expected}, got {request.Nonce}; another transaction with nonce {request.Nonce} from {request.Sender} is already waiting");
                return;
            default:
                Reject(request, SequencingRejection.NonceTooHigh,
                    $"nonce too high: expected {expected}, got {request.Nonce} (no room to wait for the gap: {(result == HoldResult.SenderFull ? "this sender's" : "the")} hold queue is full)");
                return;
        }
    }

    private void ExpireHeld(HeldTransaction held)
    {
        var request = held.Request;
        var message = $"nonce too high: expected {_nonces.GetPending(request.Sender)}, got {request.Nonce} (the gap was not filled within {_options.NonceHold.WaitMs} ms)";
        Reject(request, SequencingRejection.NonceTooHigh, message);
        foreach (var duplicate in held.Duplicates)
        {
            Reject(duplicate, SequencingRejection.NonceTooHigh, message);
        }
    }

    private SequencedTransaction Sequence(SequencingRequest request)
    {
        if (!_blocks.Fits(request.GasLimit))
        {
            Seal();
        }

        var block = _blocks.Open;
        if (block is null)
        {
            block = _blocks.OpenBlock((ulong)_time.GetUtcNow().ToUnixTimeSeconds(), _nextSequence);
            _openedAt = Stopwatch.GetTimestamp();
        }

        var sequence = _nextSequence++;
        _accumulator = Accumulator.Next(_accumulator, request.Hash);
        var tx = new SequencedTransaction(sequence, request.Hash, request.Raw, request.Sender, request.Nonce, request.GasLimit,
            block.Number, (uint)block.TransactionCount, block.Timestamp, _accumulator);
        _blocks.Append(tx);
        _store.AddTransaction(tx);
        _nonces.Advance(request.Sender, request.Nonce + 1);
        _log!.Append(new TxLogRecord(sequence, tx.BlockNumber, tx.Index, tx.Timestamp, tx.Nonce, tx.GasLimit, tx.Sender, tx.Accumulator), tx.Raw);
        Await(new DurabilityWaiter(sequence + 1, request, tx, null));
        return tx;
    }

    private void Seal()
    {
        var block = _blocks.Seal();
        _metrics.BlockSealed();
        Await(new DurabilityWaiter(block.FirstSequence + block.TransactionCount, null, null, block));
    }

    private void Await(DurabilityWaiter waiter)
    {
        _waiters.Enqueue(waiter);
        if (waiter.DurableEnd <= _log!.DurableEndSequence)
        {
            // Already durable (a re-send, or a block sealed after its last fsync): no flush will come for it.
            Drain(_log.DurableEndSequence);
        }
    }

    private void Reject(SequencingRequest request, SequencingRejection rejection, string message)
    {
        _metrics.Rejected(rejection switch
        {
            SequencingRejection.NonceTooLow => "nonce_too_low",
            SequencingRejection.NonceTooHigh => "nonce_too_high",
            SequencingRejection.LogUnavailable => "log_unavailable",
            _ => "other",
        });
        request.Complete(SequencingOutcome.Rejected(rejection, message));
    }

    /// <summary>Called by the log's flusher after each fsync.</summary>
    private void OnDurable(long durableEnd) => Drain(durableEnd);

    private void Drain(long durableEnd)
    {
        lock (_drainLock)
        {
            if (durableEnd > _published)
            {
                _store.MarkDurable(durableEnd);
                _metrics.GroupCommitted((int)(durableEnd - _published));
                foreach (var observer in _observers)
                {
                    observer.TransactionsDurable(_published, durableEnd);
                }

                _published = durableEnd;
            }

            while (_waiters.TryPeek(out var waiter) && waiter.DurableEnd <= durableEnd)
            {
                _waiters.TryDequeue(out _);
                if (waiter.Block is { } block)
                {
                    _store.PublishBlock(block);
                    foreach (var observer in _observers)
                    {
                        observer.BlockPublished(block);
                    }
                }
                else
                {
                    _metrics.Accepted();
                    _metrics.ConfirmLatency(Stopwatch.GetElapsedTime(waiter.Request!.ArrivedAt));
                    waiter.Request.Complete(SequencingOutcome.Confirmed(waiter.Transaction!));
                }
            }
        }
    }

    /// <summary>
    /// The log's write or fsync failed. Transactions already sequenced keep waiting: the log retries their write and
    /// confirms them once it succeeds (a full disk that gets space again); new ones are turned away meanwhile.
    /// </summary>
    private void OnLogFailure(Exception failure) => LogWalFailed(failure);

    private void OnLogRecovered() => LogWalRecovered();

    private void RejectWaiters(string message)
    {
        lock (_drainLock)
        {
            while (_waiters.TryDequeue(out var waiter))
            {
                waiter.Request?.Complete(SequencingOutcome.Rejected(SequencingRejection.LogUnavailable, message));
            }
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information,
        Message = "Recovered {Records} transactions from {Segments} log segments after the checkpoint at sequence {Checkpoint} in {Milliseconds:F0} ms; head block {Head}; torn tail cut: {TornBytes} bytes; history chunks rebuilt: {Rebuilt}")]
    private partial void LogRecovered(long records, int segments, ulong head, long tornBytes, long checkpoint, int rebuilt, double milliseconds);

    [LoggerMessage(EventId = 5, Level = LogLevel.Warning, Message = "Checkpoint not used, replaying the whole log: {Problem}")]
    private partial void LogCheckpointIgnored(string problem);

    [LoggerMessage(EventId = 2, Level = LogLevel.Critical,
        Message = "Write-ahead log write failed; no transaction is confirmed or taken until a retry of the write succeeds")]
    private partial void LogWalFailed(Exception exception);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Write-ahead log writable again; confirming resumed")]
    private partial void LogWalRecovered();

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "Cut a torn write at the end of the write-ahead log: {Damage}")]
    private partial void LogTornWriteCut(string damage);

    private readonly record struct DurabilityWaiter(long DurableEnd, SequencingRequest? Request, SequencedTransaction? Transaction, ChainBlock? Block);
}
