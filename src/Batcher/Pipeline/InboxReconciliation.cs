using Primitives.Chain;
using Batcher.L1;
using Microsoft.Extensions.Logging;
using Polly;

namespace Batcher.Pipeline;

/// <summary>
/// The pipeline's side of reconciling with L1 (<see cref="InboxReconciler"/> plans it): at start, and whenever the
/// tracker asks, the batch loop applies the plan to the checkpoint; the batches L1 lost wait in
/// <see cref="LostBatchReposter"/> to be posted again, before any new batch.
/// </summary>
internal sealed partial class InboxReconciliation(
    InboxReconciler reconciler, CheckpointState state, ReconcileRequests requests, L1PostTracker tracker, LostBatchReposter reposts,
    ISealedBlockSource source, ResiliencePipeline l1Retry, int pollIntervalMs, BatcherStatus status, BatcherMetrics metrics, TimeProvider time, ILogger logger)
{
    /// <summary>
    /// Brings the checkpoint into agreement with the inbox. While there is no inbox to agree with it waits
    /// (phase Reconciling); what no re-post can fix throws <see cref="L1PostingException"/>. True when the
    /// batches built ahead must be dropped (the position moved back).
    /// </summary>
    public async Task<bool> ReconcileAsync(L1Disagreement disagreement, bool atStart, CancellationToken cancellationToken)
    {
        status.SetPhase(BatcherPhase.Reconciling);
        requests.Reconciling = true;
        try
        {
            var untilInbox = L1Retry.Create(time, TimeSpan.FromMilliseconds(pollIntervalMs), static e => e is InboxNotDeployedException, (e, attempt) =>
            {
                status.SetReconcileReason(e.Message + ": waiting for it");
                status.SetError(BatcherErrorSource.L1, e.Message);
                if (attempt == 0)
                {
                    LogNoInbox(logger, e.Message);
                }
            });
            return await untilInbox.ExecuteAsync(ct => PlanAndApplyAsync(disagreement, atStart, ct), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            requests.Reconciling = false;
        }
    }

    private async ValueTask<bool> PlanAndApplyAsync(L1Disagreement disagreement, bool atStart, CancellationToken cancellationToken)
    {
        using (await state.EnterAsync(cancellationToken).ConfigureAwait(false))
        {
            var plan = await l1Retry.ExecuteAsync(ct => new ValueTask<ReconcilePlan>(reconciler.PlanAsync(state.Checkpoint, atStart, ct)), cancellationToken).ConfigureAwait(false);
            var moved = Apply(plan);

            // The plan read L1 after any request made meanwhile, so it covers them; a disagreement that is
            // still there the tracker notices again.
            requests.Take();
            Reconciled(disagreement, plan);
            return moved;
        }
    }

    private void Reconciled(L1Disagreement disagreement, ReconcilePlan plan)
    {
        if (plan.Changed)
        {
            var reason = (disagreement.Code == "start" ? "at start" : disagreement.Message) + ": " + string.Join("; ", plan.Findings);
            status.Reconciled(reason, time.GetUtcNow());
            metrics.Reconciled(disagreement.Code);
            LogReconciled(logger, reason);
        }

        status.ClearError(BatcherErrorSource.L1);
        status.SetPhase(BatcherPhase.Running);
    }

    /// <summary>Applies a plan to the checkpoint and saves it (the caller holds the checkpoint lock). True when the position moved back.</summary>
    private bool Apply(ReconcilePlan plan)
    {
        if (!plan.Changed)
        {
            return false;
        }

        var checkpoint = state.Checkpoint;
        var moved = false;
        if (plan.AdoptInbox)
        {
            state.MoveTo(plan.View.NextBatchIndex, plan.View.NextBlock, source);
            checkpoint.LastConfirmedBatch = (long)plan.View.NextBatchIndex - 1;
            checkpoint.InFlight = plan.InFlight;
            checkpoint.NextNonce = plan.NextNonce ?? checkpoint.NextNonce;
            moved = true;
        }
        else
        {
            checkpoint.InFlight = plan.InFlight;
            checkpoint.LastConfirmedBatch = plan.LastConfirmedBatch;
            checkpoint.ConfirmedPost = plan.ConfirmedPost;
            checkpoint.NextNonce = plan.NextNonce ?? checkpoint.NextNonce;
            if (plan.RewindIndex is { } index)
            {
                state.MoveTo(index, plan.RewindBlock, source);
                moved = true;
            }

            reposts.Replace(plan.Reposts);
            tracker.Replace(plan.Replacing);
        }

        state.Save();
        status.SetInFlight(checkpoint.InFlight.Count);
        status.SetConfirmed(checkpoint.LastConfirmedBatch ?? -1);
        status.SetRepostsPending(reposts.Pending);
        status.SetPendingBytes(state.InFlightBytes());
        state.SignalInFlightChanged();
        return moved;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reconciled with the inbox: {Reason}")]
    private static partial void LogReconciled(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cannot reconcile yet: {Reason}")]
    private static partial void LogNoInbox(ILogger logger, string reason);
}
