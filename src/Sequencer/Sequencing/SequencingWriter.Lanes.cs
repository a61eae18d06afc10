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

    /// <summary>
    /// Waits for a transaction on either lane, or (on a replica) for records from the leader. False once both lanes'
    /// queues are closed and drained.
    /// </summary>
    private async ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken)
    {
        while (!(_paid.Completion.IsCompleted && _sponsored.Completion.IsCompleted))
        {
            using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var paid = _paid.WaitToReadAsync(either.Token).AsTask();
            var sponsored = _sponsored.WaitToReadAsync(either.Token).AsTask();
            var records = _replicas is null || _replicas.Completion.IsCompleted ? null : _replicas.WaitToReadAsync(either.Token).AsTask();
            var first = records is null
                ? await Task.WhenAny(paid, sponsored).ConfigureAwait(false)
                : await Task.WhenAny(paid, sponsored, records).ConfigureAwait(false);
            await either.CancelAsync().ConfigureAwait(false);
            Observe(paid, first);
            Observe(sponsored, first);
            if (records is not null)
            {
                Observe(records, first);
            }

            // Cancelled only by the caller's token (the deadline): the caller counts that as work to do.
            cancellationToken.ThrowIfCancellationRequested();
            if (first.IsCompletedSuccessfully && first.Result)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The waits that lost the race were cancelled: their outcome is observed so none goes unobserved.</summary>
    private static void Observe(Task<bool> wait, Task<bool> first)
    {
        if (wait != first)
        {
            _ = wait.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }
}
