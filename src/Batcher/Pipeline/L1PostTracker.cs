using Batcher.Options;
using Batcher.L1;
using DaClient;
using Microsoft.Extensions.Logging;
using Polly;

namespace Batcher.Pipeline;

/// <summary>
/// Posts on their way to L1: signs each post under the next nonce, saves it in the checkpoint before it is sent (so a
/// restart re-sends the same signed transaction), keeps at most <see cref="L1PostingOptions.MaxPendingPosts"/> in flight,
/// and follows them until confirmed: re-sends lost ones, bumps stuck ones, and asks for a reconciliation when L1
/// disagrees with the checkpoint.
/// </summary>
internal sealed partial class L1PostTracker(
    L1Poster poster, InboxReconciler reconciler, CheckpointState state, ReconcileRequests reconcile, ResiliencePipeline l1Retry,
    L1PostingOptions options, BatcherStatus status, TimeProvider time, ILogger logger)
{
    private Dictionary<ulong, SignedPost> _replacing = [];

    /// <summary>The post saved in the checkpoint whose first broadcast the batch loop has not attempted yet.</summary>
    private PostRecord? _awaitingFirstSend;

    /// <summary>Runs just after a post is saved in the checkpoint and before it is sent (tests stop the batcher there, as a crash would).</summary>
    public Func<PostRecord, Task>? BeforeBroadcast { get; init; }

    public L1Poster Poster => poster;

    /// <summary>Posts given up by a reconciliation that may still wait in a node's pool, by nonce: a new post under that nonce replaces them.</summary>
    public void Replace(Dictionary<ulong, SignedPost> replacing) => _replacing = replacing;

    /// <summary>
    /// Signs a post under the next nonce, saves it in the checkpoint (moving past <paramref name="advance"/>, a new
    /// batch; a batch posted again moves nothing) and sends it.
    /// </summary>
    public async Task<PostRecord> SendAsync(BatchRecord line, int batchBytes, byte[] input, BuiltBatch? advance, CancellationToken cancellationToken)
    {
        var checkpoint = state.Checkpoint;
        var record = new PostRecord
        {
            BatchIndex = line.BatchIndex,
            FirstBlock = line.FirstBlock,
            LastBlock = line.LastBlock,
            BatchHash = line.BatchHash,
            Commitment = line.DaCommitment,
            BatchBytes = batchBytes,
            IsCalldata = line.Commitment.Kind == DaCommitmentKind.L1Calldata,
            Nonce = checkpoint.NextNonce ?? 0,
        };
        var replacing = _replacing.GetValueOrDefault(record.Nonce);
        await l1Retry.ExecuteAsync(async ct => await poster.SignAsync(record, input, replacing, ct).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);

        using (await state.EnterAsync(cancellationToken).ConfigureAwait(false))
        {
            checkpoint.InFlight.Add(record);
            _awaitingFirstSend = record;
            checkpoint.NextNonce = record.Nonce + 1;

            // In flight before the next block moves on: a reader of the status never sees the blocks of
            // this batch counted as batched while nothing is in flight and the batch is not yet confirmed.
            status.SetInFlight(checkpoint.InFlight.Count);
            if (advance is not null)
            {
                state.Advance(advance);
            }

            state.Save();
        }

        if (BeforeBroadcast is { } hook)
        {
            await hook(record).ConfigureAwait(false);
        }

        try
        {
            await poster.BroadcastAsync(record.Signed[0], cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (L1Retry.IsTransient(e) && !cancellationToken.IsCancellationRequested)
        {
            // Saved already: the tracker sends it again once the node answers.
            LogBroadcastFailed(logger, line.BatchIndex, e.Message);
        }
        finally
        {
            Interlocked.CompareExchange(ref _awaitingFirstSend, null, record);
        }

        return record;
    }

    /// <summary>Waits until fewer than MaxPendingPosts posts are in flight; false if a reconciliation was asked for meanwhile.</summary>
    public async Task<bool> WaitForSlotAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            Task changed;
            using (await state.EnterAsync(cancellationToken).ConfigureAwait(false))
            {
                if (state.Checkpoint.InFlight.Count < options.MaxPendingPosts)
                {
                    return true;
                }

                changed = state.InFlightChanged;
            }

            var requested = reconcile.Signal;
            await Task.WhenAny(changed, requested).WaitAsync(cancellationToken).ConfigureAwait(false);
            if (requested.IsCompleted)
            {
                return false;
            }
        }
    }

    /// <summary>Follows posts in flight until confirmed, until cancelled or a post conflicts with the inbox (the batcher faults).</summary>
    public async Task TrackAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(options.PollIntervalMs), time, cancellationToken).ConfigureAwait(false);
                if (await TrackOnceAsync(cancellationToken).ConfigureAwait(false) is { } conflict)
                {
                    status.SetError(BatcherErrorSource.Batcher, conflict);
                    status.SetPhase(BatcherPhase.Faulted);
                    LogConflict(logger, conflict);
                    return;
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (L1Retry.IsTransient(e))
            {
                LogL1Unreachable(logger, e.Message);
            }
        }
    }

    /// <summary>One look at every post in flight; returns what conflicts with the inbox (null: nothing).</summary>
    internal async Task<string?> TrackOnceAsync(CancellationToken cancellationToken)
    {
        using (await state.EnterAsync(cancellationToken).ConfigureAwait(false))
        {
            if (reconcile.Reconciling || reconcile.Pending)
            {
                // The batch loop reconciles first; tracking posts it may give up would only waste fees.
                return null;
            }

            var checkpoint = state.Checkpoint;
            var (view, disagreement) = await reconciler.CheckAsync(checkpoint, cancellationToken).ConfigureAwait(false);
            if (disagreement is not null)
            {
                reconcile.Request(disagreement);
                return null;
            }

            var changed = false;
            var confirmedPrefix = true;
            var done = 0;
            foreach (var record in checkpoint.InFlight)
            {
                if (ReferenceEquals(record, Volatile.Read(ref _awaitingFirstSend)))
                {
                    // Saved but not yet handed to the node by the batch loop: sending it is the loop's job
                    // (and if the loop dies here, a restart sends it, as after a crash).
                    break;
                }

                var signedBefore = record.Signed.Count;
                var minedBefore = record.MinedInBlock;
                var check = await poster.CheckAsync(record, view, cancellationToken).ConfigureAwait(false);
                changed |= record.Signed.Count != signedBefore || record.MinedInBlock != minedBefore;
                if (check.State == PostState.Conflict)
                {
                    return check.Conflict;
                }

                var postState = check.State;
                if (postState == PostState.Superseded)
                {
                    if (!await InInboxAsync(record, view, cancellationToken).ConfigureAwait(false))
                    {
                        reconcile.Request(new L1Disagreement("post_superseded",
                            $"the post of batch {record.BatchIndex} under nonce {record.Nonce} can never be mined (L1 nonce {view.Nonce}, the inbox expects batch {view.NextBatchIndex})"));
                        break;
                    }

                    // The inbox holds this very batch, appended by a transaction of an earlier post of it.
                    postState = PostState.Confirmed;
                }

                if (confirmedPrefix && postState == PostState.Confirmed)
                {
                    done++;
                    Confirmed(checkpoint, record);
                }
                else
                {
                    confirmedPrefix = false;
                }
            }

            if (done > 0)
            {
                checkpoint.InFlight.RemoveRange(0, done);
                changed = true;
                status.SetInFlight(checkpoint.InFlight.Count);
                state.SignalInFlightChanged();
            }

            if (changed)
            {
                state.Save();
            }

            status.SetPendingBytes(state.InFlightBytes());
            status.ClearError(BatcherErrorSource.L1);
            return null;
        }
    }

    private void Confirmed(BatcherCheckpoint checkpoint, PostRecord record)
    {
        checkpoint.LastConfirmedBatch = (long)record.BatchIndex;
        if (record is { MinedTxHash: { } tx, MinedInBlock: { } block })
        {
            checkpoint.ConfirmedPost = new ConfirmedPost(record.BatchIndex, record.Nonce, tx, block);
        }

        status.Confirmed(record.BatchIndex);
        LogConfirmed(logger, record.BatchIndex, record.MinedTxHash ?? "", record.MinedInBlock ?? 0);
    }

    /// <summary>Whether the inbox holds exactly this post's batch (appended by another transaction of the batcher's).</summary>
    private async Task<bool> InInboxAsync(PostRecord record, L1View view, CancellationToken cancellationToken) =>
        record.BatchIndex < view.NextBatchIndex
        && record.HasBatchHash(await poster.ReadBatchHashAsync(record.BatchIndex, cancellationToken).ConfigureAwait(false));

    [LoggerMessage(Level = LogLevel.Information, Message = "Batch {BatchIndex} confirmed on L1 in {TxHash} (block {Block})")]
    private static partial void LogConfirmed(ILogger logger, ulong batchIndex, string txHash, ulong block);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Batcher stopped: {Reason}")]
    private static partial void LogConflict(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Post of batch {BatchIndex} not sent yet ({Reason}); it is saved and will be re-sent")]
    private static partial void LogBroadcastFailed(ILogger logger, ulong batchIndex, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "L1 node unreachable or refusing: {Reason}")]
    private static partial void LogL1Unreachable(ILogger logger, string reason);
}
