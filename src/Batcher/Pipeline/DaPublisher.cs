using Batcher.Options;
using System.Diagnostics;
using DaClient;
using Microsoft.Extensions.Logging;

namespace Batcher.Pipeline;

/// <summary>How <see cref="DaPublisher.PublishAsync"/> ended.</summary>
public enum PublishOutcome
{
    /// <summary>DA holds the batch; the commitment points at it.</summary>
    Da,

    /// <summary>DA is failed over: the batch goes on L1 as calldata (the commitment says so).</summary>
    Calldata,

    /// <summary>Failed over, and the batch is too large for calldata: build it again, smaller.</summary>
    TooLargeForCalldata,

    /// <summary>DA refused the batch itself (not a failover): no retry can help; <see cref="PublishResult.Failure"/> says why.</summary>
    Refused,
}

/// <summary>The outcome of publishing one batch, with its commitment (Da, Calldata) or DA's refusal (Refused).</summary>
public readonly record struct PublishResult(PublishOutcome Outcome, DaCommitment? Commitment = null, DaFailure? Failure = null);

/// <summary>
/// Puts batches to DA, and fails over: after DA has failed for <see cref="BatcherOptions.DaFailoverAfterMs"/> (with L1
/// posting on), batches go to L1 calldata until a health probe (every <see cref="BatcherOptions.DaRecoveryProbeMs"/>)
/// finds DA healthy again. DA failures are values (<see cref="DaResult{T}"/>), never exceptions caught here.
/// </summary>
internal sealed partial class DaPublisher(IDaClient da, BatcherOptions options, bool canFailOver, BatcherStatus status, BatcherMetrics metrics, TimeProvider time, ILogger logger)
{
    private DateTimeOffset? _daDownSince;
    private DateTimeOffset _nextDaProbe;

    /// <summary>The largest batch that may go on L1 as calldata.</summary>
    public int CalldataBound => options.L1.CalldataMaxBatchBytes - 1024;

    public async Task<PublishResult> PublishAsync(BuiltBatch batch, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (status.FailedOver && time.GetUtcNow() >= _nextDaProbe)
            {
                await ProbeAsync(cancellationToken).ConfigureAwait(false);
            }

            if (!status.FailedOver)
            {
                var started = Stopwatch.GetTimestamp();

                // The batch's hash goes along so a content-addressed store does not hash it again.
                var put = await da.TryPutAsync(batch.Bytes, batch.Hash, cancellationToken).ConfigureAwait(false);
                if (put.Failure is null)
                {
                    var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                    status.SetDaLatency(elapsed);
                    metrics.DaPut(elapsed);
                    _daDownSince = null;
                    status.ClearError();
                    return new PublishResult(PublishOutcome.Da, put.Value);
                }

                if (put.Failure.Error != DaError.Unavailable)
                {
                    return new PublishResult(PublishOutcome.Refused, Failure: put.Failure);
                }

                if (!await FailedAsync(batch, put.Failure, cancellationToken).ConfigureAwait(false))
                {
                    continue;
                }
            }

            if (batch.Bytes.Length <= options.L1.CalldataMaxBatchBytes)
            {
                // Same as DaCommitment.ForCalldata(batch.Bytes), from the hash computed when the batch was built.
                return new PublishResult(PublishOutcome.Calldata, new DaCommitment(DaCommitmentKind.L1Calldata, batch.Hash));
            }

            if (batch.FirstBlock != batch.LastBlock)
            {
                return new PublishResult(PublishOutcome.TooLargeForCalldata);
            }

            // One block alone is too large for an L1 transaction: it can only go to DA; wait for it.
            LogBlockTooLargeForCalldata(logger, batch.FirstBlock, batch.Bytes.Length);
            await Task.Delay(TimeSpan.FromMilliseconds(options.DaRetryDelayMs), time, cancellationToken).ConfigureAwait(false);
            _nextDaProbe = time.GetUtcNow();
        }
    }

    private async Task ProbeAsync(CancellationToken cancellationToken)
    {
        var health = await da.CheckHealthAsync(cancellationToken).ConfigureAwait(false);
        if (health.IsHealthy)
        {
            status.SetFailedOver(null);
            _daDownSince = null;
            LogDaRecovered(logger, health.Detail);
        }
        else
        {
            _nextDaProbe = time.GetUtcNow() + TimeSpan.FromMilliseconds(options.DaRecoveryProbeMs);
        }
    }

    /// <summary>Counts a failed put; true once DA has been down long enough to fail over (else it waited to try again).</summary>
    private async Task<bool> FailedAsync(BuiltBatch batch, DaFailure failure, CancellationToken cancellationToken)
    {
        metrics.DaFailure();
        var now = time.GetUtcNow();
        _daDownSince ??= now;
        status.SetError(BatcherErrorSource.Da, failure.Message);
        LogDaFailed(logger, batch.Index, failure.Message);
        if (!canFailOver || now - _daDownSince.Value < TimeSpan.FromMilliseconds(options.DaFailoverAfterMs))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(options.DaRetryDelayMs), time, cancellationToken).ConfigureAwait(false);
            return false;
        }

        status.SetFailedOver(now);
        _nextDaProbe = now + TimeSpan.FromMilliseconds(options.DaRecoveryProbeMs);
        LogFailover(logger, (now - _daDownSince.Value).TotalMilliseconds);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "DA put of batch {BatchIndex} failed: {Reason}")]
    private static partial void LogDaFailed(ILogger logger, ulong batchIndex, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "DA has failed for {Milliseconds} ms: batches now go to L1 calldata")]
    private static partial void LogFailover(ILogger logger, double milliseconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "DA is healthy again ({Detail}): batches go to DA")]
    private static partial void LogDaRecovered(ILogger logger, string detail);

    [LoggerMessage(Level = LogLevel.Error, Message = "Block {Block} alone makes a {Bytes}-byte batch, too large for L1 calldata; waiting for DA")]
    private static partial void LogBlockTooLargeForCalldata(ILogger logger, ulong block, int bytes);
}
