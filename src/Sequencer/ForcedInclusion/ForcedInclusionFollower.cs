using Batcher.L1;
using Nethereum.Hex.HexConvertors.Extensions;
using Sequencer.Sequencing;
using Sequencer.Transactions;

namespace Sequencer.ForcedInclusion;

/// <summary>
/// Follows the inbox's forced-inclusion queue on L1 (docs/l1.md, "Forced inclusion") at the poster's confirmation
/// depth and judges each entry, in queue order, one at a time: a valid transaction is sequenced like any other
/// (admission policy, paid-lane limits and the fee floor do not apply; validity does), an invalid one is recorded as
/// skipped with its reason. Every decision goes to the <see cref="ForcedInclusionJournal"/>, which the batcher reads
/// to state what each batch consumes.
/// </summary>
internal sealed partial class ForcedInclusionFollower(
    ForcedQueueReader reader,
    int confirmations,
    TimeSpan pollInterval,
    ForcedInclusionJournal journal,
    TransactionIntake intake,
    SequencerCore core,
    TimeProvider time,
    ILogger<ForcedInclusionFollower> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await FollowOnceAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // L1 or the core unavailable for a while: log it and poll again.
            catch (Exception e)
#pragma warning restore CA1031
            {
                LogFollowFailed(e.Message);
            }

            try
            {
                await Task.Delay(pollInterval, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Judges every entry queued at or below the confirmed block that the journal does not hold yet.</summary>
    public async Task FollowOnceAsync(CancellationToken cancellationToken)
    {
        // Only the leader judges: a follower replica's chain is the leader's.
        if (!core.IsReady || !core.MaySequence)
        {
            return;
        }

        var confirmed = await reader.ReadConfirmedBlockAsync(confirmations, cancellationToken).ConfigureAwait(false);
        var length = await reader.ReadLengthAsync(confirmed, cancellationToken).ConfigureAwait(false);
        while (journal.Count < length)
        {
            var entry = await reader.ReadEntryAsync(journal.Count, confirmed, cancellationToken).ConfigureAwait(false);
            journal.BeginJudging();
            try
            {
                var line = await JudgeAsync(entry, cancellationToken).ConfigureAwait(false);
                journal.Append(line);
                if (line.Reason is null)
                {
                    LogIncluded(entry.QueueIndex, line.TxHash, line.Sequence);
                }
                else
                {
                    LogSkipped(entry.QueueIndex, line.TxHash, line.Position, line.Reason);
                }
            }
            finally
            {
                journal.AbandonJudging();
            }
        }
    }

    private async Task<ForcedDecisionLine> JudgeAsync(ForcedQueueEntry entry, CancellationToken cancellationToken)
    {
        // Every position is at least the durable end when judging began: a batch the batcher closed before then ends
        // at or below it, so this entry can only be consumed by a later batch (IForcedInclusionSource's promise).
        var floor = Math.Max(journal.LastPosition, (ulong)core.DurableEnd);
        var hash = entry.TxHash.ToHex(true);
        if (!intake.TryAccept(entry.RawTx, TxLane.Sponsored, out var tx, out var rejection))
        {
            return Skipped(entry, hash, floor, ForcedSkipReason.Of(rejection.Reason), rejection.ReasonTag + ": " + rejection.Message);
        }

        var request = new SequencingRequest(tx.Hash, entry.RawTx, tx.Sender, tx.Nonce, tx.GasLimit) { Forced = true };
        var outcome = await core.SubmitAsync(request, cancellationToken).ConfigureAwait(false);
        var position = Math.Max(floor, request.DecidedAt);
        if (outcome.Transaction is { } sequenced)
        {
            position = Math.Max(position, (ulong)sequenced.Sequence);
            return new ForcedDecisionLine(entry.QueueIndex, hash, entry.L1Block, position, 0, (ulong)sequenced.Sequence, null);
        }

        byte reason = outcome.Rejection switch
        {
            SequencingRejection.NonceTooLow => ForcedSkipReason.NonceTooLow,
            SequencingRejection.NonceTooHigh => ForcedSkipReason.NonceTooHigh,
            _ => throw new InvalidOperationException($"forced entry {entry.QueueIndex} not judged now: {outcome.Message}"),
        };

        // Judged against the chain below its position: that chain must be durable before the skip is, or a crash could
        // take back the transaction that made the nonce too low.
        await core.WhenDurableAsync((long)position, cancellationToken).ConfigureAwait(false);
        var tag = reason == ForcedSkipReason.NonceTooLow ? "nonce_too_low: " : "nonce_too_high: ";
        return Skipped(entry, hash, position, reason, tag + outcome.Message);
    }

    private static ForcedDecisionLine Skipped(ForcedQueueEntry entry, string hash, ulong position, byte reason, string message) =>
        new(entry.QueueIndex, hash, entry.L1Block, position, reason, position, message);

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Forced entry {QueueIndex} ({TxHash}) included at sequence {Sequence}")]
    private partial void LogIncluded(ulong queueIndex, string txHash, ulong sequence);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Forced entry {QueueIndex} ({TxHash}) skipped at position {Position}: {Reason}")]
    private partial void LogSkipped(ulong queueIndex, string txHash, ulong position, string reason);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Following the forced-inclusion queue failed, retrying: {Problem}")]
    private partial void LogFollowFailed(string problem);
}
