namespace Sequencer.Sequencing;

/// <summary>
/// The writer's side of the lanes: it takes transactions off the paid and sponsored queues into the
/// <see cref="LaneScheduler"/>, which picks the next one to place by the block shares in force, and (with
/// <see cref="Options.SequencerOptions.MinBlockIntervalMs"/>) keeps them waiting while the next block's time has not
/// come. All of it runs before a transaction gets its sequence, block and index: what a soft confirmation says is where
/// the transaction stays (docs/block-share.md).
/// </summary>
internal sealed partial class SequencingWriter
{
    private readonly LaneScheduler _scheduler = new();
    private readonly ILaneSharesSource? _shares;
    private readonly long _minBlockTicks;
    private readonly Action<SequencingRequest> _rejectStaged;

    // When the next block may open (writer's clock), with MinBlockIntervalMs: the chain's gas per second is bounded, so
    // under a flood transactions wait and the scheduler decides whose wait.
    private long _nextBlockAt;

    // Chosen for the open block but did not fit: it opens the next one (it already had its turn).
    private SequencingRequest? _deferred;

    /// <summary>Taken off the lanes' queues, not yet placed (for the queue-depth gauge).</summary>
    public int Staged => _scheduler.Staged + (_deferred is null ? 0 : 1);

    /// <summary>A transaction may be placed now: a block is open, or the next one may open (always while stopping).</summary>
    private bool HasBlockRoom => _blocks.Open is not null || _minBlockTicks == 0 || _stopRequested || _time.GetTimestamp() >= _nextBlockAt;

    /// <summary>Placements past an identity's cap because nobody else waited (<see cref="LaneScheduler.CapYields"/>).</summary>
    public long CapYields => _scheduler.CapYields;

    /// <summary>Transactions are ready but the next block's time has not come: the writer sleeps until it has.</summary>
    private bool WaitsForBlockRoom => !HasBlockRoom && HasStaged;

    /// <summary>Transactions taken off the queues wait for a place.</summary>
    private bool HasStaged => _deferred is not null || _scheduler.Staged > 0;

    private bool TryNext(LaneShares shares, out SequencingRequest request)
    {
        if (_deferred is { } deferred)
        {
            _deferred = null;
            request = deferred;
            return true;
        }

        if (!_scheduler.TryTake(_blocks.Open is { } open ? (long)open.Number : -1, _blocks.GasLimit, shares, out request))
        {
            return false;
        }

        // Picked: its identity's room at the lane's door is free for the next one.
        request.Backlog?.Leave(request);
        return true;
    }

    /// <summary>
    /// With a block interval: a transaction that does not fit the open block seals it and waits for the next block's
    /// time. Without one the block is sealed where it is placed (<see cref="Sequence"/>), and the next opens at once.
    /// </summary>
    private bool DeferToNextBlock(SequencingRequest request)
    {
        if (_minBlockTicks == 0 || _stopRequested || _blocks.Open is null || _blocks.Fits(request.GasLimit))
        {
            return false;
        }

        Seal();
        _deferred = request;
        return true;
    }

    /// <summary>
    /// Moves everything in the lanes' queues to the scheduler, so that it sees every identity that waits (what a lane holds
    /// is bounded at the core's door, <see cref="IdentityBacklog"/>). A forced-inclusion entry is judged at once (its place
    /// must not depend on the lanes): returns how many were.
    /// </summary>
    private int Stage()
    {
        var forced = 0;
        while (_paid.TryRead(out var paid))
        {
            if (paid.Forced)
            {
                Process(paid);
                forced++;
            }
            else
            {
                _scheduler.Add(paid);
            }
        }

        while (_sponsored.TryRead(out var sponsored))
        {
            _scheduler.Add(sponsored);
        }

        return forced;
    }

    /// <summary>At shutdown: what waits for a place is answered now, rather than left waiting (it was never sequenced).</summary>
    private void RejectStagedAtShutdown()
    {
        if (_deferred is { } deferred)
        {
            _deferred = null;
            RejectStaged(deferred);
        }

        _scheduler.TakeAll(_rejectStaged);
    }

    private void RejectStaged(SequencingRequest request)
    {
        request.Backlog?.Leave(request);
        Reject(request, SequencingRejection.NotRunning, "sequencer is shutting down; this transaction was not sequenced, send it again once the sequencer is back");
    }

    // Never completes: stands in for the wait on a queue that is closed and drained.
    private static readonly Task<bool> Never = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously).Task;

    // Each queue's wait is kept until it completes, across calls, and never cancelled: a cancelled channel wait ends
    // in an OperationCanceledException thrown and caught inside the channel. With a linked token cancelled after every
    // wake-up that was about 0.3 exceptions per transaction at half load (bench/TailTrace), on the writer's thread,
    // between a transaction's arrival and its sequencing.
    private Task<bool>? _paidWait;
    private Task<bool>? _sponsoredWait;
    private Task<bool>? _recordsWait;

    /// <summary>
    /// Waits for a transaction on either lane, or (on a replica) for records from the leader, at most until
    /// <paramref name="timeout"/> (the next deadline; null: no deadline). True when there is work or the deadline came;
    /// false once both lanes' queues are closed and drained.
    /// </summary>
    private async ValueTask<bool> WaitToReadAsync(TimeSpan? timeout)
    {
        while (!(_paid.Completion.IsCompleted && _sponsored.Completion.IsCompleted))
        {
            var paid = _paidWait ??= _paid.Completion.IsCompleted ? Never : _paid.WaitToReadAsync().AsTask();
            var sponsored = _sponsoredWait ??= _sponsored.Completion.IsCompleted ? Never : _sponsored.WaitToReadAsync().AsTask();
            var records = _replicas is null ? Never : _recordsWait ??= _replicas.Completion.IsCompleted ? Never : _replicas.WaitToReadAsync().AsTask();
            Task first;
            if (timeout is { } delay)
            {
                // A cancelled delay ends its task as cancelled without a throw, unlike a cancelled channel wait.
                using var deadline = new CancellationTokenSource();
                var due = Task.Delay(delay, _time, deadline.Token);
                first = await Task.WhenAny(paid, sponsored, records, due).ConfigureAwait(false);
                if (first == due)
                {
                    return true;
                }

                await deadline.CancelAsync().ConfigureAwait(false);
            }
            else
            {
                first = await Task.WhenAny(paid, sponsored, records).ConfigureAwait(false);
            }

            var ready = first.IsCompletedSuccessfully && await ((Task<bool>)first).ConfigureAwait(false);
            if (first == paid)
            {
                _paidWait = null;
            }
            else if (first == sponsored)
            {
                _sponsoredWait = null;
            }
            else
            {
                _recordsWait = null;
            }

            if (ready)
            {
                return true;
            }
        }

        return false;
    }
}
