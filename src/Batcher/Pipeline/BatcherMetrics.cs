using System.Diagnostics.Metrics;

namespace Batcher.Pipeline;

/// <summary>The "Batcher" meter: counters per batch and gauges read from <see cref="BatcherStatus"/>.</summary>
public sealed class BatcherMetrics : IDisposable
{
    public const string MeterName = "Batcher";

    private readonly Meter _meter;
    private readonly Counter<long> _batches;
    private readonly Counter<long> _rawBytes;
    private readonly Counter<long> _batchBytes;
    private readonly Histogram<double> _daPut;
    private readonly Counter<long> _daFailures;
    private readonly Counter<long> _reconciliations;
    private readonly Counter<long> _reposted;

    /// <param name="status">The pipeline's live state the gauges read.</param>
    /// <param name="meterFactory">The host's factory (null: a meter of its own, for tests).</param>
    /// <param name="chain">With it, the gauge <c>batcher.lag</c>: sealed blocks not yet taken into a batch.</param>
    public BatcherMetrics(BatcherStatus status, IMeterFactory? meterFactory = null, Primitives.Chain.ISealedBlockSource? chain = null)
    {
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _batches = _meter.CreateCounter<long>("batcher.batches", description: "Batches posted, by destination (da or calldata)");
        _rawBytes = _meter.CreateCounter<long>("batcher.raw_bytes", "By", "Raw transaction bytes batched");
        _batchBytes = _meter.CreateCounter<long>("batcher.batch_bytes", "By", "Compressed batch bytes posted");
        // Seconds (OpenTelemetry's convention), from a local file write to an EigenDA dispersal (~10 s p99, claimed) and its timeout.
        _daPut = _meter.CreateHistogram<double>("batcher.da.put.duration", "s", "Duration of successful DA puts",
            tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 180] });
        _daFailures = _meter.CreateCounter<long>("batcher.da.failures", description: "DA puts that failed");
        _meter.CreateObservableGauge("batcher.pending_bytes", () => status.PendingBytes, "By", "Bytes taken or posted but not yet confirmed on L1");
        _meter.CreateObservableGauge("batcher.last_batch_posted", () => status.LastBatchPosted, description: "Index of the last batch posted");
        _meter.CreateObservableGauge("batcher.last_batch_confirmed", () => status.LastBatchConfirmed, description: "Index of the last batch confirmed on L1");
        _meter.CreateObservableGauge("batcher.failover", () => status.FailedOver ? 1 : 0, description: "1 while batches go to L1 calldata because DA is down");
        _meter.CreateObservableGauge("batcher.bytes_per_second", () => status.BytesPerSecond, "By/s", "Raw bytes batched per second");
        if (chain is not null)
        {
            _meter.CreateObservableGauge("batcher.lag", () => Lag(chain, status), "{block}", "Sealed blocks not yet taken into a batch");
        }

        _reconciliations = _meter.CreateCounter<long>("batcher.reconciliations",
            description: "Reconciliations with the inbox that changed something, by what L1 disagreed about (reason)");
        _reposted = _meter.CreateCounter<long>("batcher.batches_reposted", description: "Batches posted again because L1 lost them");
        _meter.CreateObservableGauge("batcher.reposts_pending", () => status.RepostsPending, description: "Lost batches waiting to be posted again");
    }

    public void BatchPosted(long rawBytes, long batchBytes, bool calldata)
    {
        _batches.Add(1, new KeyValuePair<string, object?>("destination", calldata ? "calldata" : "da"));
        _rawBytes.Add(rawBytes);
        _batchBytes.Add(batchBytes);
    }

    private static long Lag(Primitives.Chain.ISealedBlockSource chain, BatcherStatus status)
    {
        var sealedHead = chain.LatestSealedNumber;
        var next = status.NextBlock;
        return sealedHead >= next ? (long)(sealedHead - next + 1) : 0;
    }

    public void DaPut(double milliseconds) => _daPut.Record(milliseconds / 1000);

    public void DaFailure() => _daFailures.Add(1);

    public void Reconciled(string reason) => _reconciliations.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void Reposted() => _reposted.Add(1);

    public void Dispose() => _meter.Dispose();
}
