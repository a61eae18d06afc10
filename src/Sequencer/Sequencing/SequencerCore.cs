using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using Sequencer.History;
using Sequencer.Log;
using Sequencer.Options;

namespace Sequencer.Sequencing;

/// <summary>
/// The sequencing engine as the host sees it. Every transaction passes through its lane's bounded queue (paid or
/// sponsored, <see cref="QueueCapacity"/> each) to the single writer (<see cref="SequencingWriter"/>), which chooses among
/// the lanes' waiting transactions by the block shares in force (<see cref="LaneScheduler"/>), then gives it its sequence number, accumulator and place in a block and
/// appends it to the write-ahead log; the <see cref="DurabilityPublisher"/> hands it back once the group-commit fsync
/// covering it has returned. Decoding, recovery and admission all run before this, in parallel, on the callers' threads.
/// </summary>
/// <remarks>
/// Owns what it starts (the log, the publisher, the history indexer, the writer) and stops them in
/// <see cref="StopAsync"/> (or <see cref="Dispose"/>, if the host never stopped it); its constructor dependencies
/// belong to the container, which disposes them. Time (block sealing, nonce holds,
/// the wait for queue room) comes from the <see cref="TimeProvider"/> it is given.
/// </remarks>
internal sealed partial class SequencerCore : IHostedService, IDisposable
{
    private readonly SequencerOptions _options;
    private readonly ChainStore _store;
    private readonly NonceBook _nonces;
    private readonly ChainAppender _chain;
    private readonly SequencerMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger<SequencerCore> _logger;
    private readonly IChainObserver[] _observers;
    private readonly Channel<SequencingRequest> _paidQueue;
    private readonly Channel<SequencingRequest> _sponsoredQueue;

    // Each lane's waiting room shared evenly among its identities once full (fairness the scheduler alone cannot give).
    private readonly IdentityBacklog _paidBacklog;
    private readonly IdentityBacklog _sponsoredBacklog;
    private readonly ILaneSharesSource? _shares;
    private readonly DataDirectoryLock _dataDirectory;
    private readonly OpenTransactionLog _openLog;
    private readonly IWriteRole? _role;
    private readonly Channel<ReplicaBatch>? _replicas;
    private DurableWatermark _watermark = new(0);
    private readonly EmptyBlockMark _emptyMark;

    private ITransactionLog? _log;
    private DurabilityPublisher? _publisher;
    private HistoryIndexer? _indexer;
    private Task? _writer;
    private SequencingWriter? _writing;
    private volatile bool _running;
    private bool _stopTimedOut; // StopAsync gave up on the writer already: Dispose does not wait for it a second time.
    private int _released;

    /// <summary>
    /// The host leaves out <paramref name="openLog"/>, how the log is opened (a <see cref="WriteAheadLog"/>; tests of the core
    /// pass a double), unless it replicates; <paramref name="role"/> is given only in a replica set (docs/replication.md).
    /// </summary>
    public SequencerCore(
        IOptions<SequencerOptions> options,
        ChainStore store,
        NonceBook nonces,
        BlockAssembler blocks,
        SequencerMetrics metrics,
        TimeProvider time,
        ILogger<SequencerCore> logger,
        IEnumerable<IChainObserver> observers,
        DataDirectoryLock dataDirectory,
        OpenTransactionLog? openLog = null,
        IWriteRole? role = null,
        ILaneSharesSource? shares = null)
    {
        _shares = shares;
        _role = role;
        _replicas = role is null ? null : Channel.CreateBounded<ReplicaBatch>(new BoundedChannelOptions(64) { SingleReader = true });
        _options = options.Value;
        _dataDirectory = dataDirectory;
        _emptyMark = new EmptyBlockMark(dataDirectory.Directory, _options.Wal.Fsync);
        _store = store;
        _nonces = nonces;
        _chain = new ChainAppender(store, nonces, blocks);
        _metrics = metrics;
        _time = time;
        _logger = logger;
        _observers = observers.ToArray();
        var wal = _options.Wal;
        _openLog = openLog ?? ((directory, next, onDurable, onFailure, onRecovered) =>
            new WriteAheadLog(directory, wal.SegmentBytes, wal.Fsync, next, onDurable, onFailure, onRecovered));
        // One queue per lane, so that a flood on one lane cannot take the room at the door the other lane needs.
        _paidQueue = CreateLaneQueue(_options.QueueCapacity);
        _sponsoredQueue = CreateLaneQueue(_options.QueueCapacity);
        _paidBacklog = new IdentityBacklog(_options.QueueCapacity);
        _sponsoredBacklog = new IdentityBacklog(_options.QueueCapacity);
        _metrics.ObserveQueue(() => QueueDepth, _options.QueueCapacity, () => _nonces.HeldCount);
        _metrics.ObserveReadiness(() => IsReady);
        _metrics.ObserveCapYields(() => CapYields);
    }

    /// <summary>True once recovery finished and until shutdown, whatever the log's state.</summary>
    public bool IsRunning => _running;

    /// <summary>True once recovery finished and until shutdown or a log failure.</summary>
    public bool IsReady => _running && _log?.Failure is null;

    public RecoveredChain? Recovery { get; private set; }

    /// <summary>False on a replica that does not lead its set (docs/replication.md): it takes no new transactions.</summary>
    public bool MaySequence => _role is null || _role.MaySequence;

    public ITransactionLog? Log => _log;

    /// <summary>The background writer of the history index and checkpoints, once started.</summary>
    public HistoryIndexer? Indexer => _indexer;

    /// <summary>
    /// Transactions waiting for the writer: both lanes' queues and what the writer has taken from them to choose among
    /// (a lane holds at most twice <see cref="QueueCapacity"/>: <see cref="IdentityBacklog"/>).
    /// </summary>
    public int QueueDepth => _paidQueue.Reader.Count + _sponsoredQueue.Reader.Count + (_writing?.Staged ?? 0);

    /// <summary>Placements past an identity's per-block cap because nobody else was waiting, since the start.</summary>
    public long CapYields => _writing?.CapYields ?? 0;

    /// <summary>Transactions each lane's queue holds before callers wait (Sequencer:QueueCapacity).</summary>
    public int QueueCapacity => _options.QueueCapacity;

    public int HeldCount => _nonces.HeldCount;

    private string WalDirectory => Path.Combine(_dataDirectory.Directory, "wal");

    private string HistoryDirectory => Path.Combine(_dataDirectory.Directory, "history");

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
        if (WalTailCut.ApplyPending(_dataDirectory.Directory, WalDirectory, SetAsideCheckpointFrom) is { } cut)
        {
            LogTailCut(cut.Records, cut.FromSequence, cut.Epoch, cut.MovedAside ?? "nothing left to cut");
        }

        Recovery = ChainRecovery.Replay(WalDirectory, HistoryDirectory, _chain,
            _options.History.ChunkTransactions, Math.Max(1, _options.History.MaxBytes / 2), _options.Wal.Fsync, sealLastBlock: _role is null);
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

    /// <summary>
    /// The epoch of the last record in this replica's log (0 for a single node): the highest it applied, replayed, or
    /// stamped on its own records while it led (the chain notes only the first two).
    /// </summary>
    public long LastLoggedEpoch => Math.Max(_chain.LastEpoch, Log is Replication.ReplicatedTransactionLog log ? log.LastStampedEpoch : 0);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        Recover();
        var next = _chain.NextSequence;
        DurabilityPublisher? publisher = null;
        DurableWatermark? watermark = null;

        // Nothing is sequenced or applied before the writer starts below, so the log reports no durable end before these are set.
        _log = _openLog(WalDirectory, next, end =>
        {
            publisher?.Durable(end);
            watermark?.Advance(end);
        }, OnLogFailure, OnLogRecovered);
        if (_log is Replication.ReplicatedTransactionLog replicated)
        {
            replicated.ResumeEpoch(_chain.LastEpoch);
        }

        // A replica publishes its log only up to the commit index it last knew (docs/replication.md, "Commit index"); the
        // rest waits for a leader's word. A single node's log reports everything it recovered.
        var visible = _role is null ? next : Math.Min(next, _log.DurableEndSequence);
        if (visible < next)
        {
            _store.MarkDurable(visible);
            LogPublishedUpToCommit(visible, next);
        }

        _publisher = publisher = new DurabilityPublisher(_store, _observers, _metrics, visible);
        _watermark = watermark = new DurableWatermark(visible);
        _indexer = new HistoryIndexer(_store, _store.History!, _options.History, _chain.Blocks.GasLimit, _options.Wal.Fsync,
            Recovery!.Checkpoint?.Position.Sequence ?? -1, _logger);
        var writer = new SequencingWriter(_options, _paidQueue.Reader, _sponsoredQueue.Reader, _chain, _log, _publisher, _metrics, _time,
            _shares, _replicas?.Reader, _role, _role is null ? _emptyMark : null, CatchUpFloor());
        _writing = writer;
        _running = true;
        _writer = Task.Factory.StartNew(writer.RunAsync, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
        return Task.CompletedTask;
    }

    /// <summary>
    /// How far the start's empty-block catch-up must go before a transaction takes a block number (<see cref="EmptyBlockMark"/>).
    /// A data directory with a log but no mark was run by a host that kept none: it may have shown empty blocks up to
    /// the clock, so all of them, as before. A replica set: the other nodes' empty blocks are not known here, all of them.
    /// </summary>
    private ulong CatchUpFloor()
    {
        if (_role is not null)
        {
            return ulong.MaxValue;
        }

        if (_emptyMark.Read() is { } marked)
        {
            return marked;
        }

        if (_chain.Blocks.LastSealed.Number > 0 || _chain.Blocks.Open is not null)
        {
            return ulong.MaxValue;
        }

        // A new chain: nothing shown yet. Said on disk now, so that a crash before the first empty block is not read as an
        // older host's directory.
        _emptyMark.Write(0);
        return 0;
    }

    /// <summary>
    /// Stops taking transactions; the writer sequences what is queued, seals the open block and answers the
    /// transactions held for a nonce gap; the log makes everything durable and the publisher confirms it.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _running = false;
        _writing?.RequestStop();
        _paidQueue.Writer.TryComplete();
        _sponsoredQueue.Writer.TryComplete();
        _replicas?.Writer.TryComplete();
        if (_writer is not null)
        {
            try
            {
                await _writer.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // The host's shutdown timeout passed with the writer still busy. Said in one line rather than thrown: an
                // exception here ends the process with exit 134 and a stack trace. Nothing is released under the
                // writer here; what it had not made durable was never confirmed.
                LogStopTimedOut();
                _stopTimedOut = true;
                return;
            }
        }

        ReleaseOwned();
    }

    /// <summary>
    /// Stops what <see cref="StartAsync"/> started, if <see cref="StopAsync"/> did not; nothing the container owns. The
    /// writer is stopped as <see cref="StopAsync"/> stops it (no more empty blocks, what is queued sequenced) and waited
    /// for, up to <see cref="DisposeWriterWait"/>: the log and the publisher are released only once nothing writes to them.
    /// </summary>
    public void Dispose()
    {
        _running = false;
        _writing?.RequestStop();
        _paidQueue.Writer.TryComplete();
        _sponsoredQueue.Writer.TryComplete();
        _replicas?.Writer.TryComplete();
        if (_writer is { } writer && (_stopTimedOut || !Ended(writer)))
        {
            // Still busy (a stalled disk): releasing the log under it would end its records in ObjectDisposedException.
            // Left to finish on its own; what it had not made durable was never confirmed.
            if (!_stopTimedOut)
            {
                LogStopTimedOut();
            }

            return;
        }

        ReleaseOwned();
    }

    private static bool Ended(Task writer)
    {
        try
        {
            // Dispose is synchronous by contract; the writer runs on its own thread (LongRunning) and needs none of the caller's.
#pragma warning disable VSTHRD002
            return writer.Wait(DisposeWriterWait);
#pragma warning restore VSTHRD002
        }
        catch (AggregateException)
        {
            return true; // It failed, so it ended; its failure was the log's, reported there.
        }
    }

    /// <summary>How long <see cref="Dispose"/> waits for the writer: the host's own shutdown timeout.</summary>
    private static readonly TimeSpan DisposeWriterWait = TimeSpan.FromSeconds(30);

    /// <summary>The single writer's run, once started (completed before that): for tests of the stop.</summary>
    internal Task Writing => _writer ?? Task.CompletedTask;

    private void ReleaseOwned()
    {
        if (Interlocked.Exchange(ref _released, 1) != 0)
        {
            return;
        }

        _indexer?.Stop();
        _log?.Dispose();
        _publisher?.Dispose();

        // Every durable block is published now: a chunk and a checkpoint at the end of them, so that the next start
        // replays nothing (docs/benchmarks.md, "Restart, round 8"). A crash skips this and replays from the last one.
        if (_indexer is { } indexer && indexer.IndexAtStop() is var indexed and > 0)
        {
            LogIndexedAtStop(indexed, indexer.CheckpointSequence);
        }

        _indexer?.Dispose();

        // Left only if the log was failing at shutdown: never durable, so never confirmed.
        _publisher?.RejectRemaining("write-ahead log unavailable at shutdown; this transaction was not confirmed");
    }

    /// <summary>
    /// Sequences one transaction. Completes once it is durable, or with the reason it was not taken.
    /// Waits up to QueueWaitMs for room when the queue is full.
    /// </summary>
    /// <remarks>
    /// <paramref name="cancellationToken"/> is honoured until the single writer takes the request off the queue: cancelled
    /// before that (also while waiting for room), the transaction is not sequenced and this throws
    /// <see cref="OperationCanceledException"/>. Once the writer has taken it (sequenced, or held for a nonce gap), it
    /// keeps its place and the outcome (the confirmation once durable) still completes; cancelling changes nothing then.
    /// </remarks>
    public async ValueTask<SequencingOutcome> SubmitAsync(SequencingRequest request, CancellationToken cancellationToken) =>
        await EnqueueAsync(request, cancellationToken).ConfigureAwait(false) ?? await request.Completion.ConfigureAwait(false);

    /// <summary>
    /// Puts a transaction into the queue without waiting for its outcome: null once it is queued (then
    /// <see cref="SequencingRequest.Completion"/> carries the outcome), else the reason it was not taken. For a caller
    /// that needs its requests queued in order before it awaits any of them (the sponsored lane, which hands out an
    /// identity account's nonces in queue order). Waits up to QueueWaitMs for room when the queue is full; cancellation
    /// as for <see cref="SubmitAsync"/>.
    /// </summary>
    public async ValueTask<SequencingOutcome?> EnqueueAsync(SequencingRequest request, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (!_running)
        {
            return SequencingOutcome.Rejected(SequencingRejection.NotRunning, "sequencer is not running (starting up or shutting down)");
        }

        if (_role is { MaySequence: false } role)
        {
            var leader = role.LeaderUrl;
            return SequencingOutcome.Rejected(SequencingRejection.NotLeader, leader is null
                ? "not_leader: this replica does not lead its set and no leader is known yet; retry shortly"
                : "not_leader: this replica does not lead its set; send writes to the leader at " + leader) with { LeaderUrl = leader };
        }

        // A re-send of a transaction older than memory: its nonce is used, so the core would call it "nonce too low".
        // Found here, on the caller's thread, so that the disk lookup never holds up the single writer.
        if (request.Nonce < _nonces.GetPending(request.Sender) && !_store.TryGetSequence(request.Hash, out _)
            && _store.GetTransaction(request.Hash) is { } old)
        {
            return SequencingOutcome.Confirmed(old);
        }

        request.CancellationToken = cancellationToken;
        var sponsored = request.Lane == Transactions.TxLane.Sponsored;
        var queue = sponsored ? _sponsoredQueue : _paidQueue;

        // Forced entries are judged at once by the writer, outside the lanes: they take no identity's room.
        if (!request.Forced && !(sponsored ? _sponsoredBacklog : _paidBacklog).TryEnter(request, out var held, out var part))
        {
            _metrics.Rejected("queue_full");
            return SequencingOutcome.Rejected(SequencingRejection.QueueFull,
                $"sequencer busy: the {(sponsored ? "sponsored" : "paid")} lane is full and {request.Payer} already has {held} of its " +
                $"transactions waiting (its even part of the lane's room is {part}); retry shortly");
        }

        if (!queue.Writer.TryWrite(request))
        {
            SequencingOutcome queued;
            try
            {
                queued = await WaitForRoomAsync(queue, request, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                request.Backlog?.Leave(request);
                throw;
            }

            if (queued.Rejection != SequencingRejection.None)
            {
                request.Backlog?.Leave(request);
                return queued;
            }
        }

        return null;
    }

    /// <summary>Sequences below this are durable in this replica's log (and, on a leader, on MinAcks replicas).</summary>
    public long DurableEnd => _watermark.End;

    /// <summary>
    /// A follower: hands records from the leader to the single writer. Completes with null once they are in the log (then
    /// <see cref="WhenDurableAsync"/>), or with the reason they were refused; nothing of a refused record is kept.
    /// </summary>
    public async Task<string?> ApplyReplicatedAsync(ReplicaBatch batch, CancellationToken cancellationToken)
    {
        if (_replicas is null || !_running)
        {
            return "this replica is not running as a member of a replica set";
        }

        try
        {
            await _replicas.Writer.WriteAsync(batch, cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            return "this replica is shutting down";
        }

        return await batch.Applied.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Completes once sequences below <paramref name="end"/> are durable here.</summary>
    public Task WhenDurableAsync(long end, CancellationToken cancellationToken) => _watermark.WaitAsync(end, cancellationToken);

    private static Channel<SequencingRequest> CreateLaneQueue(int capacity) =>
        Channel.CreateBounded<SequencingRequest>(new BoundedChannelOptions(capacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });

    /// <summary>The lane's queue is full: waits up to QueueWaitMs (on the core's clock) for room. Rejected when none came.</summary>
    private async ValueTask<SequencingOutcome> WaitForRoomAsync(Channel<SequencingRequest> queue, SequencingRequest request, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(_options.QueueWaitMs), _time);
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            await queue.Writer.WriteAsync(request, wait.Token).ConfigureAwait(false);
            return default;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            _metrics.Rejected("queue_full");
            return SequencingOutcome.Rejected(SequencingRejection.QueueFull,
                request.Lane == Transactions.TxLane.Sponsored
                    ? $"sequencer busy: {_options.QueueCapacity} sponsored transactions are queued; retry shortly"
                    : $"sequencer busy: {_options.QueueCapacity} transactions are queued; retry shortly");
        }
        catch (ChannelClosedException)
        {
            return SequencingOutcome.Rejected(SequencingRejection.NotRunning, "sequencer is shutting down");
        }
    }

    /// <summary>
    /// The log's write or fsync failed. Transactions already sequenced keep waiting: the log retries their write and
    /// confirms them once it succeeds (a full disk that gets space again); new ones are turned away meanwhile.
    /// </summary>
    private void OnLogFailure(Exception failure)
    {
        if (failure is ReplicationShortfallException shortfall)
        {
            // Not the disk: the other replicas. Nothing waiting is confirmed; its callers hear it now, not at a timeout.
            LogNotReplicated(shortfall.Message);
            _publisher?.FailWaiting(shortfall.Message);
            return;
        }

        LogWalFailed(failure);
    }

    private void OnLogRecovered() => LogWalRecovered();

    /// <summary>A checkpoint past a tail cut describes records that are going: set it aside, the replay starts from the log's beginning.</summary>
    private void SetAsideCheckpointFrom(long from)
    {
        if (Checkpoint.TryRead(HistoryDirectory, out _) is { } checkpoint && checkpoint.Position.Sequence > from)
        {
            var path = Path.Combine(HistoryDirectory, Checkpoint.FileName);
            File.Move(path, path + ".before-cut-" + from.ToString(System.Globalization.CultureInfo.InvariantCulture), overwrite: true);
            Primitives.Storage.DirectorySync.Flush(HistoryDirectory);
        }
    }
}
