using Batcher.L1;
using DaClient;
using Microsoft.Extensions.Logging;
using Nethereum.Hex.HexConvertors.Extensions;

namespace Batcher.Pipeline;

/// <summary>
/// The pipeline's side of reconciling with L1 (<see cref="InboxReconciler"/> plans it): the tracker notices a
/// disagreement and asks; the batch loop, the only one that hands out nonces, applies the plan and then posts
/// again, one by one through the usual post slots, what L1 lost, before any new batch.
/// </summary>
public sealed partial class BatcherPipeline
{
    private InboxReconciler? _reconciler;
    private Queue<LostBatch> _reposts = new();
    private Dictionary<ulong, SignedPost> _replacing = [];
    private L1Disagreement? _reconcileRequest;
    private volatile bool _reconciling;
    private TaskCompletionSource _reconcileSignal = NewSignal();

    /// <summary>Asks the batch loop to reconcile (the first reason asked for is the one reported).</summary>
    private void RequestReconcile(L1Disagreement disagreement)
    {
        if (Interlocked.CompareExchange(ref _reconcileRequest, disagreement, null) is null)
        {
            LogDisagreement(_logger, disagreement.Message);
        }

        _reconcileSignal.TrySetResult();
    }

    private L1Disagreement? TakeReconcileRequest()
    {
        // A fresh signal before taking the request: a request from now on completes the fresh one (and one that
        // came in between is taken here, at the cost of one more turn of the loop, never a spin on a stale signal).
        if (_reconcileSignal.Task.IsCompleted)
        {
            Interlocked.Exchange(ref _reconcileSignal, NewSignal());
        }

        return Interlocked.Exchange(ref _reconcileRequest, null);
    }

    /// <summary>
    /// Brings the checkpoint into agreement with the inbox. While there is no inbox to agree with it waits
    /// (state "reconciling"); what no re-post can fix throws <see cref="L1PostingException"/>. True when the
    /// batches built ahead must be dropped (the position moved back).
    /// </summary>
    private async Task<bool> ReconcileAsync(L1Disagreement disagreement, bool atStart, CancellationToken cancellationToken)
    {
        _status.SetState("reconciling");
        _reconciling = true;
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                await _checkpointLock.WaitAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    var plan = await RetryAsync(() => _reconciler!.PlanAsync(_checkpoint, atStart), cancellationToken).ConfigureAwait(false);
                    var moved = Apply(plan);

                    // The plan read L1 after any request made meanwhile, so it covers them; a disagreement that is
                    // still there the tracker notices again.
                    TakeReconcileRequest();
                    Reconciled(disagreement, plan);
                    return moved;
                }
                catch (InboxNotDeployedException e)
                {
                    _status.SetReconcileReason(e.Message + ": waiting for it");
                    _status.SetError("L1: " + e.Message);
                    if (attempt == 1)
                    {
                        LogNoInbox(_logger, e.Message);
                    }
                }
                finally
                {
                    _checkpointLock.Release();
                }

                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(_options.L1.PollIntervalMs * attempt, 5000)), _time, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _reconciling = false;
        }
    }

    private void Reconciled(L1Disagreement disagreement, ReconcilePlan plan)
    {
        if (plan.Changed)
        {
            var reason = (disagreement.Code == "start" ? "at start" : disagreement.Message) + ": " + string.Join("; ", plan.Findings);
            _status.Reconciled(reason, _time.GetUtcNow());
            _metrics.Reconciled(disagreement.Code);
            LogReconciled(_logger, reason);
        }

        if (_status.LastError?.StartsWith("L1:", StringComparison.Ordinal) == true)
        {
            _status.SetError(null);
        }

        _status.SetState("running");
    }

    /// <summary>Applies a plan to the checkpoint and saves it (the caller holds the checkpoint lock). True when the position moved back.</summary>
    private bool Apply(ReconcilePlan plan)
    {
        if (!plan.Changed)
        {
            return false;
        }

        var moved = false;
        if (plan.AdoptInbox)
        {
            MoveTo(plan.View.NextBatchIndex, plan.View.NextBlock);
            _checkpoint.LastConfirmedBatch = (long)plan.View.NextBatchIndex - 1;
            moved = true;
        }
        else
        {
            _checkpoint.InFlight = plan.InFlight;
            _checkpoint.LastConfirmedBatch = plan.LastConfirmedBatch;
            _checkpoint.ConfirmedPost = plan.ConfirmedPost;
            _checkpoint.NextNonce = plan.NextNonce ?? _checkpoint.NextNonce;
            if (plan.RewindIndex is { } index)
            {
                MoveTo(index, plan.RewindBlock);
                moved = true;
            }

            _reposts = new Queue<LostBatch>(plan.Reposts);
            _replacing = plan.Replacing;
        }

        _checkpointFile.Save(_checkpoint);
        _status.SetInFlight(_checkpoint.InFlight.Count);
        _status.SetConfirmed(_checkpoint.LastConfirmedBatch ?? -1);
        _status.SetRepostsPending(_reposts.Count);
        _status.SetPendingBytes(InFlightBytes());
        Interlocked.Exchange(ref _inFlightChanged, NewSignal()).TrySetResult();
        return moved;
    }

    /// <summary>The next batch to build starts at <paramref name="nextBlock"/>, right after what the inbox (or the journal) holds.</summary>
    private void MoveTo(ulong nextIndex, ulong nextBlock)
    {
        ulong nextSequence = 0;
        var accumulator = new byte[32];
        if (nextBlock > 1)
        {
            var last = _source.GetSealedBlock(nextBlock - 1)
                ?? throw new InvalidOperationException($"the inbox has batches up to block {nextBlock - 1}, which this chain has not sealed");
            nextSequence = last.FirstSequence + (ulong)last.Transactions.Count;
            accumulator = last.Accumulator.ToArray();
        }

        _checkpoint.NextBatchIndex = nextIndex;
        _checkpoint.NextBlock = nextBlock;
        _checkpoint.NextSequence = nextSequence;
        _checkpoint.ParentAccumulator = accumulator.ToHex(true);
        _status.SetNextBlock(nextBlock);
    }

    /// <summary>
    /// Posts a lost batch again: the same index, blocks and bytes. A post given up is signed again from its own
    /// input. From the journal, a DA commitment is reused while DA still returns the batch for it (the batch is
    /// the same bytes, so dispersing it again would only cost); a batch DA lost, or one that went as calldata, is
    /// encoded again from the sealed blocks, and the former goes to DA again (or fails over like any batch).
    /// </summary>
    private async Task RepostAsync(LostBatch lost, int calldataBound, CancellationToken cancellationToken)
    {
        PostRecord post;
        if (lost.GivenUp is { } givenUp)
        {
            // Only the post's fields matter here: its input is the given-up post's own.
            var line = new BatchRecord(givenUp.BatchIndex, givenUp.FirstBlock, givenUp.LastBlock, givenUp.BatchHash, "", givenUp.Commitment);
            post = await SendPostAsync(line, givenUp.BatchBytes, L1Poster.InputOf(givenUp.Signed[^1]), null, cancellationToken).ConfigureAwait(false);
        }
        else if (lost.Record!.Commitment.Kind != DaCommitmentKind.L1Calldata
            && await StoredBytesAsync(lost.Record, cancellationToken).ConfigureAwait(false) is { } stored)
        {
            post = await SendPostAsync(lost.Record, stored, L1Poster.BuildInput(AppendBatch(lost.Record), default), null, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            var line = lost.Record;
            var batch = Rebuild(line);
            DaCommitment? commitment = null;
            if (line.Commitment.Kind == DaCommitmentKind.L1Calldata)
            {
                commitment = new DaCommitment(DaCommitmentKind.L1Calldata, batch.Hash);
            }

            while (commitment is null)
            {
                commitment = await PublishAsync(batch, calldataBound, cancellationToken).ConfigureAwait(false);
                if (commitment is null)
                {
                    // Failed over, and the batch is too large for calldata: its blocks are fixed, so wait for DA.
                    await Task.Delay(TimeSpan.FromMilliseconds(_options.DaRetryDelayMs), _time, cancellationToken).ConfigureAwait(false);
                }
            }

            var rebuilt = BatchRecord.Of(batch, commitment);
            if (rebuilt != line)
            {
                await _journal.AppendAsync([rebuilt], cancellationToken).ConfigureAwait(false);
            }

            var calldata = commitment.Kind == DaCommitmentKind.L1Calldata;
            post = await SendPostAsync(rebuilt, batch.Bytes.Length, L1Poster.BuildInput(AppendBatch(rebuilt), calldata ? batch.Bytes : default), null, cancellationToken).ConfigureAwait(false);
        }

        _status.Reposted();
        _metrics.Reposted();
        LogReposted(_logger, lost.Index, post.Nonce);
    }

    /// <summary>The size of the batch DA still returns for the journal's commitment; null when DA lost it.</summary>
    private async Task<int?> StoredBytesAsync(BatchRecord line, CancellationToken cancellationToken)
    {
        try
        {
            var stored = await _da.GetAsync(line.Commitment, cancellationToken).ConfigureAwait(false);
            return DaCommitment.Keccak256(stored.Span).ToHex(true).Equals(line.BatchHash, StringComparison.OrdinalIgnoreCase) ? stored.Length : null;
        }
        catch (Exception e) when (e is DaNotFoundException or DaCertificateInvalidException or DaRejectedException)
        {
            LogDaLostBatch(_logger, line.BatchIndex, e.Message);
            return null;
        }
        catch (Exception e) when (e is DaUnavailableException or HttpRequestException or IOException or TimeoutException && !cancellationToken.IsCancellationRequested)
        {
            // DA is down, not the batch gone: it was durable when put, so the commitment still stands.
            LogDaUnreachable(_logger, line.BatchIndex, e.Message);
            return 0;
        }
    }

    /// <summary>Encodes a batch made before again, from its blocks; the same settings give the same bytes.</summary>
    private BuiltBatch Rebuild(BatchRecord line)
    {
        var contents = _builder.CollectRange(line.BatchIndex, line.FirstBlock, line.LastBlock);
        var encoder = _encoders.Rent();
        BuiltBatch batch;
        try
        {
            batch = BatchBuilder.Encode(encoder, _options.ChainId, contents);
        }
        finally
        {
            _encoders.Return(encoder);
        }

        if (!batch.Hash.ToHex(true).Equals(line.BatchHash, StringComparison.OrdinalIgnoreCase))
        {
            // Other codec settings than when it was made: the same blocks, other bytes. L1 lost the first
            // encoding, so the new one takes its index.
            LogRebuiltDifferently(_logger, line.BatchIndex, line.BatchHash, batch.Hash.ToHex(true));
        }

        return batch;
    }

    /// <summary>Whether the inbox holds exactly this post's batch (appended by another transaction of the batcher's).</summary>
    private async Task<bool> InInboxAsync(PostRecord record, L1View view) =>
        record.BatchIndex < view.NextBatchIndex
        && (await _poster!.ReadBatchHashAsync(record.BatchIndex).ConfigureAwait(false)).ToHex(true).Equals(record.BatchHash, StringComparison.OrdinalIgnoreCase);

    [LoggerMessage(Level = LogLevel.Warning, Message = "L1 disagrees with the batcher's records: {Reason}")]
    private static partial void LogDisagreement(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reconciled with the inbox: {Reason}")]
    private static partial void LogReconciled(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cannot reconcile yet: {Reason}")]
    private static partial void LogNoInbox(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Batch {BatchIndex} posted again under nonce {Nonce}")]
    private static partial void LogReposted(ILogger logger, ulong batchIndex, ulong nonce);

    [LoggerMessage(Level = LogLevel.Warning, Message = "DA does not return batch {BatchIndex} for its commitment ({Reason}); storing it again")]
    private static partial void LogDaLostBatch(ILogger logger, ulong batchIndex, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "DA is unreachable ({Reason}); posting batch {BatchIndex} again with the commitment it had")]
    private static partial void LogDaUnreachable(ILogger logger, ulong batchIndex, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Batch {BatchIndex} encoded again hashes to {NewHash}, not {OldHash} (codec settings changed?); posting the new encoding")]
    private static partial void LogRebuiltDifferently(ILogger logger, ulong batchIndex, string oldHash, string newHash);
}
