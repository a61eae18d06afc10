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

    public SequencerMetrics(IMeterFactory meterFactory)
    {
        _meter = meterFactory.Create(MeterName);
        _accepted = _meter.CreateCounter<long>("sequencer.transactions.accepted", "{transaction}", "Transactions confirmed (durable and answered)");
        _rejected = _meter.CreateCounter<long>("sequencer.transactions.rejected", "{transaction}", "Transactions turned away, by reason");
        _confirmLatency = _meter.CreateHistogram<double>("sequencer.confirm.latency", "ms", "From reaching the core to durable confirmation");
        _groupSize = _meter.CreateHistogram<int>("sequencer.wal.group_size", "{transaction}", "Transactions made durable by one fsync");
        _blocks = _meter.CreateCounter<long>("sequencer.blocks.sealed", "{block}", "Blocks sealed");
    }

    public void Accepted() => _accepted.Add(1);

    public void Rejected(string reason) => _rejected.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void ConfirmLatency(TimeSpan latency) => _confirmLatency.Record(latency.TotalMilliseconds);

    public void GroupCommitted(int transactions) => _groupSize.Record(transactions);

    public void BlockSealed() => _blocks.Add(1);

    public void ObserveQueue(Func<int> depth, Func<int> held)
    {
        _meter.CreateObservableGauge("sequencer.queue.depth", depth, "{transaction}", "Transactions waiting for the single writer");
        _meter.CreateObservableGauge("sequencer.nonce_hold.size", held, "{transaction}", "Transactions waiting for a nonce gap to fill");
    }

    public void Dispose() => _meter.Dispose();
}
