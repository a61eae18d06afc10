using Primitives.Chain;
using Sequencer.Chain;
using Sequencer.Log;

namespace Sequencer.Sequencing;

/// <summary>
/// The writer's placing of one transaction: an idempotent re-send gets its old place, a nonce below the sender's next is
/// refused, one above it waits in the <see cref="NonceBook"/>, otherwise it is sequenced into the open block (opening or
/// sealing blocks as needed) and appended to the log, and its held followers right after it; and the answers for those
/// that are refused or expire.
/// </summary>
internal sealed partial class SequencingWriter
{
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
