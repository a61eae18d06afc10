namespace LoadGenerator;

/// <summary>Every latency kept (in Stopwatch ticks) and sorted once at the end: exact percentiles.</summary>
internal sealed class LatencyHistogram(int capacity)
{
    private readonly long[] _ticks = new long[capacity];
    private int _count;

    public int Count => _count;

    public void Record(long ticks) => _ticks[Interlocked.Increment(ref _count) - 1] = ticks;

    public double PercentileMs(double percentile)
    {
        if (_count == 0)
        {
            return double.NaN;
        }

        var sorted = _ticks.AsSpan(0, _count);
        var index = Math.Min(_count - 1, (int)Math.Ceiling(percentile / 100.0 * _count) - 1);
        return sorted[Math.Max(0, index)] * 1000.0 / System.Diagnostics.Stopwatch.Frequency;
    }

    public void Sort() => Array.Sort(_ticks, 0, _count);
}
