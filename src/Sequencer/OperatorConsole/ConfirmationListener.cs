using System.Diagnostics.Metrics;
using Sequencer.Sequencing;

namespace Sequencer.OperatorConsole;

/// <summary>
/// Listens, in process, to this host's "Sequencer" meter (confirmed transactions and their confirmation latency) so the
/// console's history has confirmed tx/s and a p99 per sample without a metrics backend and without a second hook in
/// the hot path. Only instruments of this host's <see cref="IMeterFactory"/> are counted: several hosts in one process
/// (tests) each see their own. Latencies go into fixed buckets growing by 20 % from 50 µs (to ~5 s, then one
/// overflow bucket); the p99 reported is the upper bound of the bucket it falls in, so it reads at most 20 % high.
/// Hand-written because OpenTelemetry's in-process readers export cumulative histograms with the meter's coarse
/// buckets; the console wants per-interval quantiles.
/// </summary>
public sealed class ConfirmationListener : IDisposable
{
    private const double FirstBoundMs = 0.05;
    private const double Growth = 1.2;
    private const int Buckets = 64;

    private readonly MeterListener _listener = new();
    private readonly long[] _counts = new long[Buckets + 1];
    private readonly object _scope;
    private long _accepted;

    public ConfirmationListener(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        _scope = meterFactory;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == SequencerMetrics.MeterName && ReferenceEquals(instrument.Meter.Scope, _scope) &&
                instrument.Name is "sequencer.transactions.accepted" or "sequencer.confirm.duration")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref _accepted, value));
        _listener.SetMeasurementEventCallback<double>((_, seconds, _, _) => Interlocked.Increment(ref _counts[BucketOf(seconds * 1000)]));
        _listener.Start();
    }

    /// <summary>Transactions confirmed and the p99 latency (ms; null with none) since the previous call; starts a new interval.</summary>
    public (long Confirmed, double? P99Ms) TakeInterval()
    {
        var counts = new long[_counts.Length];
        long total = 0;
        for (var i = 0; i < counts.Length; i++)
        {
            counts[i] = Interlocked.Exchange(ref _counts[i], 0);
            total += counts[i];
        }

        var confirmed = Interlocked.Exchange(ref _accepted, 0);
        return (confirmed, total == 0 ? null : Quantile(counts, total, 0.99));
    }

    internal static int BucketOf(double milliseconds)
    {
        if (milliseconds <= FirstBoundMs)
        {
            return 0;
        }

        var index = (int)Math.Ceiling(Math.Log(milliseconds / FirstBoundMs) / Math.Log(Growth));
        return Math.Min(index, Buckets);
    }

    internal static double UpperBoundMs(int bucket) => FirstBoundMs * Math.Pow(Growth, bucket);

    private static double Quantile(long[] counts, long total, double quantile)
    {
        var rank = (long)Math.Ceiling(total * quantile);
        long seen = 0;
        for (var i = 0; i < counts.Length; i++)
        {
            seen += counts[i];
            if (seen >= rank)
            {
                return Math.Round(UpperBoundMs(i), 3);
            }
        }

        return Math.Round(UpperBoundMs(counts.Length - 1), 3);
    }

    public void Dispose() => _listener.Dispose();
}
