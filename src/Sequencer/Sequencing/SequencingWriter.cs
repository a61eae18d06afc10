using System.Threading.Channels;
using Sequencer.Log;
using Sequencer.Options;

namespace Sequencer.Sequencing;

/// <summary>
/// The single writer: takes requests off the lanes' queues, lets the <see cref="LaneScheduler"/> choose which goes next
/// (block shares between the lanes and among identities), and gives each its place. An idempotent
/// re-send gets its old place; a nonce below the sender's next is refused; one above it waits in the
/// <see cref="NonceBook"/>; otherwise the transaction is sequenced (<see cref="ChainAppender.Apply"/>) and appended
/// to the log, and its held followers right after it. Between rounds it seals the open block once
/// <see cref="SequencerOptions.BlockTimeMs"/> has passed and expires held transactions, by the
/// <see cref="TimeProvider"/> it was given; each round ends with one <see cref="ITransactionLog.Commit"/>.
/// This file holds the rounds and their deadlines; the lanes and the choice of the next transaction are in
/// SequencingWriter.Lanes.cs, placing one in SequencingWriter.Placement.cs, empty blocks in SequencingWriter.EmptyBlocks.cs.
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

    // The start's catch-up past the floor (the time the host was down, which nobody saw) begins no earlier than this
    // (Sequencer:EmptyBlockCatchUpDelayMs after the writer started): on a small machine sealing 8,192 empty blocks a round
    // beside the host's start-up slowed the start down. Up to the floor it runs at once: clients saw those blocks.
    private long _catchUpNotBefore;
    private readonly long _catchUpDelayTicks;

    /// <summary>The catch-up waits for its start delay: it reached the floor (a transaction that comes first still runs the part it needs: Placement).</summary>
    private bool CatchUpDeferred =>
        _catchUpPending && MaySealEmpty && _blocks.LastSealed.Number >= _catchUpFloor && _time.GetTimestamp() < _catchUpNotBefore;
    private readonly EmptyBlockMark? _mark;

    public SequencingWriter(
        SequencerOptions options, ChannelReader<SequencingRequest> paid, ChannelReader<SequencingRequest> sponsored, ChainAppender chain,
        ITransactionLog log, DurabilityPublisher publisher, SequencerMetrics metrics, TimeProvider time, ILaneSharesSource? shares = null,
        ChannelReader<ReplicaBatch>? replicas = null, IWriteRole? role = null, EmptyBlockMark? mark = null, ulong catchUpFloor = ulong.MaxValue)
    {
        _paid = paid;
        _sponsored = sponsored;
        _shares = shares;
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
        _catchUpDelayTicks = options.EmptyBlockCatchUpDelayMs * time.TimestampFrequency / 1000;
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
        _catchUpNotBefore = _lastBlockAt + _catchUpDelayTicks;
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
        var deadline = _stopRequested ? null : _catchUpPending && MaySealEmpty ? (CatchUpDeferred ? _catchUpNotBefore : _time.GetTimestamp()) : NextDeadline();
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
        // Staged transactions wait for the next block's time, also when it came since the round ended (then at once):
        // judged on the clock a second time, a wait on the queues alone could last for ever, since under a flood the
        // door (IdentityBacklog) lets nothing more in until something is placed.
        if (HasStaged && (deadline is null || _nextBlockAt < deadline))
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

        if (!CatchUpDeferred)
        {
            SealEmptyBlocks(_catchUpPending);
        }

        _nonces.ExpireDue(_expire);
    }
}
