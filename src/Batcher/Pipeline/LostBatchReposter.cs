using Batcher.Options;
using Batcher.L1;
using DaClient;
using Microsoft.Extensions.Logging;
using Nethereum.Hex.HexConvertors.Extensions;

namespace Batcher.Pipeline;

/// <summary>
/// Posts the batches L1 lost again, one by one and in order: the same index, blocks and bytes. A post given up is
/// signed again from its own input. From the journal, a DA commitment is reused while DA still returns the batch
/// for it (the batch is the same bytes, so dispersing it again would only cost); a batch DA lost, or one that went
/// as calldata, is encoded again from the sealed blocks, and the former goes to DA again (or fails over like any batch).
/// </summary>
internal sealed partial class LostBatchReposter(
    L1PostTracker tracker, DaPublisher publisher, IDaClient da, BatchJournal journal, BatchBuilder builder, BatchEncoderPool encoders,
    BatcherOptions options, BatcherStatus status, BatcherMetrics metrics, TimeProvider time, ILogger logger)
{
    private Queue<LostBatch> _lost = new();

    /// <summary>Lost batches still waiting to be posted again.</summary>
    public int Pending => _lost.Count;

    public void Replace(IEnumerable<LostBatch> lost) => _lost = new Queue<LostBatch>(lost);

    /// <summary>Posts the next lost batch again; false when none is left.</summary>
    public async Task<bool> RepostNextAsync(CancellationToken cancellationToken)
    {
        if (!_lost.TryPeek(out var lost))
        {
            return false;
        }

        await RepostAsync(lost, cancellationToken).ConfigureAwait(false);
        _lost.Dequeue();
        status.SetRepostsPending(_lost.Count);
        return true;
    }

    private async Task RepostAsync(LostBatch lost, CancellationToken cancellationToken)
    {
        PostRecord post;
        if (lost.GivenUp is { } givenUp)
        {
            // Only the post's fields matter here: its input is the given-up post's own.
            var line = new BatchRecord(givenUp.BatchIndex, givenUp.FirstBlock, givenUp.LastBlock, givenUp.BatchHash, "", givenUp.Commitment, 0, "", 0);
            post = await tracker.SendAsync(line, givenUp.BatchBytes, L1Poster.InputOf(givenUp.Signed[^1]), null, cancellationToken).ConfigureAwait(false);
        }
        else if (lost.Record!.Commitment.Kind != DaCommitmentKind.L1Calldata
            && await StoredBytesAsync(lost.Record, cancellationToken).ConfigureAwait(false) is { } stored)
        {
            post = await tracker.SendAsync(lost.Record, stored, PostInput.For(lost.Record, default), null, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            var line = lost.Record;
            var batch = Rebuild(line);
            var commitment = line.Commitment.Kind == DaCommitmentKind.L1Calldata
                ? new DaCommitment(DaCommitmentKind.L1Calldata, batch.Hash)
                : await PublishAsync(batch, cancellationToken).ConfigureAwait(false);
            var rebuilt = BatchRecord.Of(batch, commitment);
            if (rebuilt != line)
            {
                await journal.AppendAsync([rebuilt], cancellationToken).ConfigureAwait(false);
            }

            post = await tracker.SendAsync(rebuilt, batch.Bytes.Length, PostInput.For(batch, commitment), null, cancellationToken).ConfigureAwait(false);
        }

        status.Reposted();
        metrics.Reposted();
        LogReposted(logger, lost.Index, post.Nonce);
    }

    /// <summary>To DA (or calldata, failed over); a batch too large for calldata waits for DA, since its blocks are fixed.</summary>
    private async Task<DaCommitment> PublishAsync(BuiltBatch batch, CancellationToken cancellationToken)
    {
        while (true)
        {
            var published = await publisher.PublishAsync(batch, cancellationToken).ConfigureAwait(false);
            switch (published.Outcome)
            {
                case PublishOutcome.Da or PublishOutcome.Calldata:
                    return published.Commitment!;
                case PublishOutcome.Refused:
                    throw published.Failure!.ToException();
                default:
                    await Task.Delay(TimeSpan.FromMilliseconds(options.DaRetryDelayMs), time, cancellationToken).ConfigureAwait(false);
                    break;
            }
        }
    }

    /// <summary>The size of the batch DA still returns for the journal's commitment; null when DA lost it.</summary>
    private async Task<int?> StoredBytesAsync(BatchRecord line, CancellationToken cancellationToken)
    {
        var stored = await da.TryGetAsync(line.Commitment, cancellationToken).ConfigureAwait(false);
        switch (stored.Failure?.Error)
        {
            case null:
                return line.BatchHash.HexToByteArray().AsSpan().SequenceEqual(DaCommitment.Keccak256(stored.Value.Span)) ? stored.Value.Length : null;
            case DaError.NotFound or DaError.CertificateInvalid or DaError.Rejected:
                LogDaLostBatch(logger, line.BatchIndex, stored.Failure.Message);
                return null;
            case DaError.Unavailable or DaError.Transient:
                // DA is down, not the batch gone: it was durable when put, so the commitment still stands.
                LogDaUnreachable(logger, line.BatchIndex, stored.Failure.Message);
                return 0;
            default:
                throw stored.Failure.ToException();
        }
    }

    /// <summary>Encodes a batch made before again, from its blocks; the same settings give the same bytes.</summary>
    private BuiltBatch Rebuild(BatchRecord line)
    {
        var contents = builder.WithForced(builder.CollectRange(line.BatchIndex, line.FirstBlock, line.LastBlock), line.ForcedFrom, line.ForcedThrough);
        var encoder = encoders.Rent();
        BuiltBatch batch;
        try
        {
            batch = BatchBuilder.Encode(encoder, options.ChainId, contents);
        }
        finally
        {
            encoders.Return(encoder);
        }

        if (!line.BatchHash.HexToByteArray().AsSpan().SequenceEqual(batch.Hash))
        {
            // Other codec settings than when it was made: the same blocks, other bytes. L1 lost the first
            // encoding, so the new one takes its index.
            LogRebuiltDifferently(logger, line.BatchIndex, line.BatchHash, batch.Hash.ToHex(true));
        }

        return batch;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Batch {BatchIndex} posted again under nonce {Nonce}")]
    private static partial void LogReposted(ILogger logger, ulong batchIndex, ulong nonce);

    [LoggerMessage(Level = LogLevel.Warning, Message = "DA does not return batch {BatchIndex} for its commitment ({Reason}); storing it again")]
    private static partial void LogDaLostBatch(ILogger logger, ulong batchIndex, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "DA is unreachable ({Reason}); posting batch {BatchIndex} again with the commitment it had")]
    private static partial void LogDaUnreachable(ILogger logger, ulong batchIndex, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Batch {BatchIndex} encoded again hashes to {NewHash}, not {OldHash} (codec settings changed?); posting the new encoding")]
    private static partial void LogRebuiltDifferently(ILogger logger, ulong batchIndex, string oldHash, string newHash);
}
