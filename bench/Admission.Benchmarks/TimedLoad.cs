using System.Diagnostics;

namespace Admission.Benchmarks;

/// <summary>
/// Runs one operation on many concurrent workers for a fixed time and times every call. Worker w gets
/// call numbers w, w + concurrency, w + 2·concurrency, … (so callers can spread over identities).
/// Only <c>call</c> is timed; <c>verify</c> checks its result outside the timing.
/// </summary>
internal static class TimedLoad
{
    public static async Task<LoadResult> RunAsync<T>(int concurrency, TimeSpan duration, Func<long, ValueTask<T>> call, Action<T> verify)
    {
        var end = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var perWorker = new List<double>[concurrency];
        var started = Stopwatch.GetTimestamp();
        var workers = new Task[concurrency];
        for (var w = 0; w < concurrency; w++)
        {
            var worker = w;
            perWorker[worker] = new List<double>(1 << 14);
            workers[worker] = Task.Run(async () =>
            {
                long i = worker;
                while (Stopwatch.GetTimestamp() < end)
                {
                    var start = Stopwatch.GetTimestamp();
                    var result = await call(i);
                    perWorker[worker].Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                    verify(result);
                    i += concurrency;
                }
            });
        }

        await Task.WhenAll(workers);
        var elapsed = Stopwatch.GetElapsedTime(started);
        var all = new List<double>();
        foreach (var list in perWorker)
        {
            all.AddRange(list);
        }

        all.Sort();
        return new LoadResult(all, elapsed);
    }
}

/// <summary>Every latency of a run (sorted, milliseconds) and how long it took.</summary>
internal sealed record LoadResult(List<double> SortedLatenciesMs, TimeSpan Elapsed)
{
    public int Count => SortedLatenciesMs.Count;

    public double PerSecond => Count / Elapsed.TotalSeconds;

    public double Max => SortedLatenciesMs[^1];

    public double Percentile(double p) => SortedLatenciesMs[Math.Min(Count - 1, (int)(p * Count))];
}
