using System.Diagnostics.Metrics;

namespace Sequencer.Sequencing;

/// <summary>The sequencer's OpenTelemetry instruments (meter "Sequencer").</summary>
internal sealed class SequencerMetrics : IDisposable
{
    public const string MeterName = "Sequencer";

    private readonly Meter _meter;
    private readonly Counter<long> _accepted;
    private readonly Counter<long> _rejected;
    private readonly Histogram<double> _confirmLatency;
    private readonly Histogram<int> _groupSize;
    private readonly Counter<long> _blocks;

    // Seconds, from a group commit on a fast disk (sub-millisecond) to a queue wait at its bound (QueueWaitMs, 1 s by
    // default) and beyond: OpenTelemetry's default buckets suit milliseconds, not seconds.
    private static readonly double[] ConfirmBuckets = [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5];

    public SequencerMetrics(IMeterFactory meterFactory)
    {
        _meter = meterFactory.Create(MeterName);
        _accepted = _meter.CreateCounter<long>("sequencer.transactions.accepted", "{transaction}", "Transactions confirmed (durable and answered)");
        _rejected = _meter.CreateCounter<long>("sequencer.transactions.rejected", "{transaction}", "Transactions turned away, by reason");
        _confirmLatency = _meter.CreateHistogram<double>("sequencer.confirm.duration", "s", "From reaching the core to durable confirmation",
            tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = ConfirmBuckets });
        _groupSize = _meter.CreateHistogram<int>("sequencer.wal.group_size", "{transaction}", "Transactions made durable by one fsync");
        _blocks = _meter.CreateCounter<long>("sequencer.blocks.sealed", "{block}", "Blocks sealed");
    }

    public void Accepted() => _accepted.Add(1);

    public void Rejected(string reason) => _rejected.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void ConfirmLatency(TimeSpan latency) => _confirmLatency.Record(latency.TotalSeconds);

    public void GroupCommitted(int transactions) => _groupSize.Record(transactions);

    public void BlockSealed() => _blocks.Add(1);

    public void ObserveQueue(Func<int> depth, int capacity, Func<int> held)
    {
        _meter.CreateObservableGauge("sequencer.queue.depth", depth, "{transaction}", "Transactions waiting for the single writer");
        // The bound beside the depth, so that an alert on "queue near full" needs no copy of the setting.
        _meter.CreateObservableGauge("sequencer.queue.capacity", () => capacity, "{transaction}", "Transactions the writer's queue holds (Sequencer:QueueCapacity)");
        _meter.CreateObservableGauge("sequencer.nonce_hold.size", held, "{transaction}", "Transactions waiting for a nonce gap to fill");
    }

    /// <summary>How often the per-identity cap of a block gave way because every identity waiting was at it.</summary>
    public void ObserveCapYields(Func<long> yields) =>
        _meter.CreateObservableCounter("sequencer.block_share.cap_yields", yields, "{transaction}",
            "Transactions placed past their identity's per-block cap because nobody else was waiting (work-conserving)");

    /// <summary>1 while the core is ready (recovered, log writable), as /health/ready's core check; for alerts and dashboards.</summary>
    public void ObserveReadiness(Func<bool> ready) =>
        _meter.CreateObservableGauge("sequencer.ready", () => ready() ? 1 : 0, "{state}", "1 while the sequencer is recovered and its log writable, else 0");

    public void Dispose() => _meter.Dispose();
}
