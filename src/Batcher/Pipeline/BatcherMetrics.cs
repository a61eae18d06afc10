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

    public BatcherMetrics(BatcherStatus status, IMeterFactory? meterFactory = null)
    {
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _batches = _meter.CreateCounter<long>("batcher.batches", description: "Batches posted, by destination (da or calldata)");
        _rawBytes = _meter.CreateCounter<long>("batcher.raw_bytes", "By", "Raw transaction bytes batched");
        _batchBytes = _meter.CreateCounter<long>("batcher.batch_bytes", "By", "Compressed batch bytes posted");
        _daPut = _meter.CreateHistogram<double>("batcher.da.put.duration", "ms", "Duration of successful DA puts");
        _daFailures = _meter.CreateCounter<long>("batcher.da.failures", description: "DA puts that failed");
        _meter.CreateObservableGauge("batcher.pending_bytes", () => status.PendingBytes, "By", "Bytes taken or posted but not yet confirmed on L1");
        _meter.CreateObservableGauge("batcher.last_batch_posted", () => status.LastBatchPosted, description: "Index of the last batch posted");
        _meter.CreateObservableGauge("batcher.last_batch_confirmed", () => status.LastBatchConfirmed, description: "Index of the last batch confirmed on L1");
        _meter.CreateObservableGauge("batcher.failover", () => status.FailedOver ? 1 : 0, description: "1 while batches go to L1 calldata because DA is down");
        _meter.CreateObservableGauge("batcher.bytes_per_second", () => status.BytesPerSecond, "By/s", "Raw bytes batched per second");
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

    public void DaPut(double milliseconds) => _daPut.Record(milliseconds);

    public void DaFailure() => _daFailures.Add(1);

    public void Reconciled(string reason) => _reconciliations.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void Reposted() => _reposted.Add(1);

    public void Dispose() => _meter.Dispose();
}
