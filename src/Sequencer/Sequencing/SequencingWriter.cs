using System.Threading.Channels;
using Primitives.Chain;
using Sequencer.Log;
using Sequencer.Options;
using Sequencer.Chain;

namespace Sequencer.Sequencing;

/// <summary>
/// The single writer: takes requests off the lanes' queues, lets the <see cref="LaneScheduler"/> choose which goes next
/// (block shares between the lanes and among identities), and gives each its place. An idempotent
/// re-send gets its old place; a nonce below the sender's next is refused; one above it waits in the
/// <see cref="NonceBook"/>; otherwise the transaction is sequenced (<see cref="ChainAppender.Apply"/>) and appended
/// to the log, and its held followers right after it. Between rounds it seals the open block once
/// <see cref="SequencerOptions.BlockTimeMs"/> has passed and expires held transactions, by the
/// <see cref="TimeProvider"/> it was given; each round ends with one <see cref="ITransactionLog.Commit"/>.
/// </summary>
internal sealed partial class SequencingWriter
{
    private readonly ChannelReader<SequencingRequest> _paid;
    private readonly ChannelReader<SequencingRequest> _sponsored;
    private readonly ChainAppender _chain;
    private readonly NonceBook _nonces;
    private readonly BlockAssembler _blocks;
    private readonly ITransactionLog _log;
    private readonly DurabilityPublisher _publisher;
    private readonly SequencerMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly int _maxBatch;
    private readonly long _blockTicks;
    private readonly Action<HeldTransaction> _expire;
    private readonly ChannelReader<ReplicaBatch>? _replicas;
    private readonly ReplicaApplier? _applier;
    private readonly IWriteRole? _role;
    private long _openedAt;
    private readonly long _emptyTicks;

    // When the last block (of any kind) was sealed, on the writer's monotonic clock: empty blocks come after a quiet interval.
    private long _lastBlockAt;

    // At the start and on becoming leader the head may lag the clock by many seconds (the node was down, or the previous
    // leader's empty blocks never reached this replica): the empty blocks of that time are sealed before any transaction
    // takes a block number, so that every empty block clients saw before keeps its number and hash (EmptyAfter).
    private bool _catchUpPending = true;
    private bool _wasSealing;

    // The open block was not opened by this writer as leader (recovery left it open, or the leader's records did): it is
    // sealed before this node sequences into it (docs/replication.md, "Block seals").
    private bool _inherited;

    // Set by the core's stop before it closes the queue. The catch-up above can be ~10^8 empty blocks after a long stop
    // (minutes of work): a stop must not wait for it (the host's shutdown timeout would end the process with exit 134).
    // Stopping it early loses nothing: empty blocks are not logged, and the next start seals the same ones again
    // (BlockAssembler.EmptyAfter is a function of the parent alone).
    private volatile bool _stopRequested;

    // How far the catch-up must go before a transaction may take a block number: the highest block the previous run may
    // have shown (EmptyBlockMark). Past it, a waiting transaction ends the catch-up and its block takes the clock's time.
    // MaxValue (no mark; a replica set, where the other nodes' empty blocks are not known here): up to the clock.
    private ulong _catchUpFloor;
    private readonly EmptyBlockMark? _mark;

    public SequencingWriter(
        SequencerOptions options, ChannelReader<SequencingRequest> paid, ChannelReader<SequencingRequest> sponsored, ChainAppender chain,
        ITransactionLog log, DurabilityPublisher publisher, SequencerMetrics metrics, TimeProvider time, ILaneSharesSource? shares = null,
        ChannelReader<ReplicaBatch>? replicas = null, IWriteRole? role = null, EmptyBlockMark? mark = null, ulong catchUpFloor = ulong.MaxValue)
    {
        _paid = paid;
        _sponsored = sponsored;
        _shares = shares;
        _lookahead = Lookahead;
        _mark = mark;
        _catchUpFloor = catchUpFloor;
        _marked = catchUpFloor == ulong.MaxValue ? 0 : catchUpFloor; // Up to the floor the mark says so already.
        _replicas = replicas;
        _role = role;
        _applier = replicas is null || role is null ? null : new ReplicaApplier(chain, log, publisher, role);
        _chain = chain;
        _nonces = chain.Nonces;
        _blocks = chain.Blocks;
        _log = log;
        _publisher = publisher;
        _metrics = metrics;
        _time = time;
        _maxBatch = options.MaxWriterBatch;
        _blockTicks = options.BlockTimeMs * time.TimestampFrequency / 1000;
        _emptyTicks = options.EmptyBlockIntervalMs * time.TimestampFrequency / 1000;
        _minBlockTicks = options.MinBlockIntervalMs * time.TimestampFrequency / 1000;
        _rejectStaged = RejectStaged;
        _expire = ExpireHeld;
    }

    /// <summary>
    /// The host is stopping: no more empty blocks (also none of a catch-up under way); what is queued is still sequenced,
    /// and <see cref="RunAsync"/> ends once the queue is completed and drained.
    /// </summary>
    public void RequestStop() => _stopRequested = true;

    /// <summary>Runs until the queue is completed and empty; then seals the open block and answers what still waits for a gap.</summary>
    public async Task RunAsync()
    {
        _inherited = _blocks.Open is not null;
        _lastBlockAt = _time.GetTimestamp();
        while (true)
        {
            if (SealsByTime != _wasSealing)
            {
                // Becoming leader (not the start): the previous leader's empty blocks are not known here, so all of them.
                _catchUpFloor = _wasSealing || _role is null ? _catchUpFloor : ulong.MaxValue;
                _wasSealing = SealsByTime;
                _catchUpPending |= _wasSealing;
            }

            // The shares are read once a round: a policy change applies from the next round on.
            var shares = _shares?.Current ?? LaneShares.Default;
            var processed = Stage();
            while (processed < _maxBatch && HasBlockRoom && TryNext(shares, out var request))
            {
                if (DeferToNextBlock(request))
                {
                    continue;
                }

                Process(request);
                processed++;
                processed += Stage();
            }

            if (_applier is not null)
            {
                while (processed < _maxBatch && _replicas!.TryRead(out var batch))
                {
                    _applier.Apply(batch);
                    _inherited = _blocks.Open is not null;
                    processed++;
                }
            }

            DoTimedWork();
            _log.Commit();
            if (processed > 0)
            {
                continue;
            }

            if (!await WaitForWorkAsync().ConfigureAwait(false))
            {
                break;
            }
        }

        // Shutting down: seal what is open so the log's last block is complete, then drain. A follower leaves its open
        // block to the leader, whose next records may continue it.
        if (_blocks.Open is not null && SealsByTime)
        {
            Seal();
        }

        _log.Commit();

        // Nothing can fill their gaps any more: answer them now rather than leave their callers waiting.
        RejectStagedAtShutdown();
        _nonces.TakeAll(RejectAtShutdown);
    }

    /// <summary>Waits for a transaction or the next deadline (block seal, nonce-hold expiry). False when the queue is closed.</summary>
    private async ValueTask<bool> WaitForWorkAsync()
    {
        // Stopping: no deadline keeps the writer going (the open block is sealed and held ones answered on the way out).
        // Catching up: the next slice at once, after a look at the queue.
        var deadline = _stopRequested ? null : _catchUpPending && MaySealEmpty ? _time.GetTimestamp() : NextDeadline();
        if (deadline is null)
        {
            return await WaitToReadAsync(null).ConfigureAwait(false);
        }

        var delay = _time.GetElapsedTime(_time.GetTimestamp(), deadline.Value);
        if (delay <= TimeSpan.Zero)
        {
            return true;
        }

        if (WaitsForBlockRoom)
        {
            // Transactions wait for the next block's time: more arriving changes nothing before then.
            await Task.Delay(delay, _time).ConfigureAwait(false);
            return true;
        }

        return await WaitToReadAsync(delay).ConfigureAwait(false);
    }

    /// <summary>
    /// A replica that does not lead seals no block by time: its blocks are the leader's, closed when the leader's next
    /// block arrives (<see cref="ReplicaApplier"/>).
    /// </summary>
    private bool SealsByTime => _role is null || _role.MaySequence;

    private long? NextDeadline()
    {
        long? deadline = _blocks.Open is not null && SealsByTime ? (_inherited ? _time.GetTimestamp() : _openedAt + _blockTicks) : NextEmptyBlockAt();
        if (WaitsForBlockRoom && (deadline is null || _nextBlockAt < deadline))
        {
            deadline = _nextBlockAt;
        }

        if (_nonces.NextDeadline() is { } hold && (deadline is null || hold < deadline))
        {
            deadline = hold;
        }

        return deadline;
    }

    private void DoTimedWork()
    {
        if (_blocks.Open is not null && SealsByTime && (_inherited || _time.GetTimestamp() - _openedAt >= _blockTicks))
        {
            Seal();
        }

        SealEmptyBlocks(_catchUpPending);
        _nonces.ExpireDue(_expire);
    }

    /// <summary>Empty blocks may follow the head: on, leading, no block open, the log writable, after the first block with transactions.</summary>
    private bool MaySealEmpty => _emptyTicks > 0 && SealsByTime && _blocks.Open is null && _blocks.LastSealed.Number > 0 && _log.Failure is null;

    /// <summary>
    /// When the next empty block is due: the interval after the last block, and not before the clock reaches the head's
    /// timestamp plus one second (an empty block's timestamp; waking earlier would only spin).
    /// </summary>
    private long? NextEmptyBlockAt()
    {
        if (!MaySealEmpty)
        {
            return null;
        }

        var nowTicks = _time.GetTimestamp();
        var untilSecond = ((long)_blocks.LastSealed.Timestamp + 1) * 1000 - _time.GetUtcNow().ToUnixTimeMilliseconds();
        var atSecond = untilSecond <= 0 ? nowTicks : nowTicks + untilSecond * _time.TimestampFrequency / 1000;
        return Math.Max(_lastBlockAt + _emptyTicks, atSecond);
    }

    /// <summary>
    /// Seals the empty blocks that are due: one for each whole second the head's timestamp lags the clock, once the
    /// interval passed (at most <see cref="MaxEmptyBlocksPerRound"/> a round, so transactions are not held up), or, when
    /// catching up (<see cref="_catchUpPending"/>), <see cref="CatchUpSlice"/> of them a round until the head reaches the
    /// clock, and none past block <paramref name="upTo"/>. The <see cref="EmptyBlockMark"/> covers them before any is published.
    /// </summary>
    private void SealEmptyBlocks(bool catchUp, ulong upTo = ulong.MaxValue)
    {
        if (!MaySealEmpty)
        {
            // An open block (one inherited at a takeover) is sealed first and the catch-up follows it; otherwise there is
            // nothing to catch up (off, not leading: set again on becoming leader, or nothing but genesis yet).
            _catchUpPending &= _blocks.Open is not null;
            return;
        }

        _catchUpPending = false;
        if (!catchUp && _time.GetTimestamp() - _lastBlockAt < _emptyTicks)
        {
            return;
        }

        // Each empty block is one second and one number after its parent: how many are due is known before sealing any.
        var now = (ulong)_time.GetUtcNow().ToUnixTimeSeconds();
        var head = _blocks.LastSealed;
        var due = head.Timestamp < now ? now - head.Timestamp : 0;
        var count = Math.Min(Math.Min(due, catchUp ? (ulong)CatchUpSlice : MaxEmptyBlocksPerRound), upTo > head.Number ? upTo - head.Number : 0);
        if (count == 0 || _stopRequested || !TryMark(head.Number + count))
        {
            return;
        }

        for (var i = 0UL; i < count && !_stopRequested; i++)
        {
            var block = _blocks.SealEmpty();
            _metrics.BlockSealed();
            _publisher.AwaitBlock(block);
            _lastBlockAt = _time.GetTimestamp();
        }

        _catchUpPending = catchUp && !_stopRequested && count < due && _blocks.LastSealed.Number < upTo;
    }

    /// <summary>
    /// Blocks up to <paramref name="number"/> may be published: said durably first (<see cref="EmptyBlockMark"/>). When the
    /// mark cannot be written (a full disk), no empty block is sealed this round: they only keep an idle head moving.
    /// </summary>
    private bool TryMark(ulong number)
    {
        if (_mark is null || number <= _marked)
        {
            return true;
        }

        try
        {
            _mark.Write(number);
            _marked = number;
            return true;
        }
        catch (IOException)
        {
            return false;
        }
    }

    private ulong _marked;

    private const int MaxEmptyBlocksPerRound = 64;

    // Empty blocks of a catch-up sealed per round (~0.3 s of the writer's time), so that transactions are looked at between.
    private const int CatchUpSlice = 8192;

    private void Process(SequencingRequest request)
    {
        if (request.CancellationToken.IsCancellationRequested)
        {
            // Cancelled while it waited in the queue: never sequenced, so the caller may stop waiting.
            request.Cancel();
            return;
        }

        if (_log.Failure is not null)
        {
            if (_log.Failure is ReplicationShortfallException shortfall)
            {
                Reject(request, SequencingRejection.NotReplicated, shortfall.Message);
            }
            else
            {
                Reject(request, SequencingRejection.LogUnavailable, "write-ahead log unavailable: " + _log.Failure.Message);
            }

            return;
        }

        request.DecidedAt = (ulong)_chain.NextSequence;

        // Idempotent re-send: the same bytes get the same place, never a second sequence number.
        var store = _chain.Store;
        if (store.TryGetSequence(request.Hash, out var existing))
        {
            var tx = store.GetSequenced(existing)!;
            if (existing < store.DurableEnd)
            {
                request.Complete(SequencingOutcome.Confirmed(tx));
            }
            else
            {
                _publisher.Await(existing + 1, request, tx);
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
            if (request.Forced)
            {
                // A forced entry's window is bounded and its place must not depend on timing: judged now, never held.
                Reject(request, SequencingRejection.NonceTooHigh, $"nonce too high: next nonce for {request.Sender} is {next}, got {request.Nonce}");
                return;
            }

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
                _publisher.Await(tx.Sequence + 1, duplicate, tx);
            }

            following++;
        }
    }

    private void Hold(SequencingRequest request, ulong expected)
    {
        var result = _nonces.TryHold(request);
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
        var message = $"nonce too high: expected {_nonces.GetPending(request.Sender)}, got {request.Nonce} (the gap was not filled within {_nonces.Wait.TotalMilliseconds:0} ms)";
        RejectAll(held, SequencingRejection.NonceTooHigh, message);
    }

    private void RejectAtShutdown(HeldTransaction held)
    {
        var request = held.Request;
        var message = $"sequencer is shutting down: nonce {request.Nonce} from {request.Sender} was waiting for nonce {_nonces.GetPending(request.Sender)}, " +
            "which did not arrive; it was not sequenced, send it again once the sequencer is back";
        RejectAll(held, SequencingRejection.NotRunning, message);
    }

    private void RejectAll(HeldTransaction held, SequencingRejection rejection, string message)
    {
        Reject(held.Request, rejection, message);
        foreach (var duplicate in held.Duplicates)
        {
            Reject(duplicate, rejection, message);
        }
    }

    private SequencedTransaction Sequence(SequencingRequest request)
    {
        if (!_blocks.Fits(request.GasLimit) || (_inherited && _blocks.Open is not null))
        {
            Seal();
        }

        if (_blocks.Open is null)
        {
            if (_catchUpPending)
            {
                // What the previous run may have shown keeps its numbers; the rest of the catch-up (the time the host was
                // down, shown to nobody) is left out: this block takes the clock's time, after its parent's.
                while (_catchUpPending && _blocks.LastSealed.Number < _catchUpFloor)
                {
                    SealEmptyBlocks(catchUp: true, _catchUpFloor);
                }

                _catchUpPending = false;
            }

            _blocks.OpenBlock((ulong)_time.GetUtcNow().ToUnixTimeSeconds(), _chain.NextSequence);
            _openedAt = _time.GetTimestamp();
            _nextBlockAt = _openedAt + _minBlockTicks;
            _inherited = false;
        }

        var tx = _chain.Apply(request.Hash, request.Raw, request.Sender, request.Nonce, request.GasLimit,
            Accumulator.Next(_chain.Accumulator, request.Hash));
        _log.Append(new TxLogRecord(tx.Sequence, tx.BlockNumber, tx.Index, tx.Timestamp, tx.Nonce, tx.GasLimit, tx.Sender, tx.Accumulator), tx.Raw);
        _publisher.Await(tx.Sequence + 1, request, tx);
        _scheduler.Charge(request, (long)tx.BlockNumber, tx.GasLimit);
        return tx;
    }

    private void Seal()
    {
        var block = _blocks.Seal();
        _lastBlockAt = _time.GetTimestamp();
        _metrics.BlockSealed();
        _publisher.AwaitBlock(block);
    }

    private void Reject(SequencingRequest request, SequencingRejection rejection, string message)
    {
        _metrics.Rejected(rejection switch
        {
            SequencingRejection.NonceTooLow => "nonce_too_low",
            SequencingRejection.NonceTooHigh => "nonce_too_high",
            SequencingRejection.LogUnavailable => "log_unavailable",
            SequencingRejection.NotRunning => "not_running",
            SequencingRejection.NotReplicated => "replication",
            _ => "other",
        });
        request.Complete(SequencingOutcome.Rejected(rejection, message));
    }
}
