using System.Diagnostics;
using System.Globalization;

namespace Admission.Benchmarks;

/// <summary>
/// Decisions per second and per-decision latency percentiles with many concurrent callers, as the gate
/// sees them on a busy sequencer. BenchmarkDotNet reports per-iteration means; this measures every call.
/// Usage: <c>load [Embedded|Redis] [concurrency] [seconds]</c>.
/// </summary>
internal static class LimiterLoad
{
    public static async Task RunAsync(string store, int concurrency, int seconds)
    {
        await using var setup = await LimiterSetup.CreateAsync(store);
        // Warm-up: JIT, connection, script cache.
        await RunForAsync(setup, concurrency, TimeSpan.FromSeconds(2));
        var (count, latencies, elapsed) = await RunForAsync(setup, concurrency, TimeSpan.FromSeconds(seconds));
        latencies.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"store={store} concurrency={concurrency} decisions={count} seconds={elapsed.TotalSeconds:F1} decisions/s={count / elapsed.TotalSeconds:F0} " +
            $"p50={Percentile(latencies, 0.50):F3}ms p99={Percentile(latencies, 0.99):F3}ms max={latencies[^1]:F3}ms"));
    }

    private static async Task<(long Count, List<double> Latencies, TimeSpan Elapsed)> RunForAsync(LimiterSetup setup, int concurrency, TimeSpan duration)
    {
        var end = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var perWorker = new List<double>[concurrency];
        var started = Stopwatch.GetTimestamp();
        var workers = new Task[concurrency];
        for (var w = 0; w < concurrency; w++)
        {
            var worker = w;
            perWorker[worker] = new List<double>(1 << 16);
            workers[worker] = Task.Run(async () =>
            {
                var i = worker;
                while (Stopwatch.GetTimestamp() < end)
                {
                    var start = Stopwatch.GetTimestamp();
                    var decision = await setup.Gate.AdmitAsync(setup.IdentityPool[i % LimiterSetup.Identities], setup.Call);
                    perWorker[worker].Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                    if (!decision.IsAdmitted)
                    {
                        throw new InvalidOperationException("benchmark decision was not an admission: " + decision.Message);
                    }

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

        return (all.Count, all, elapsed);
    }

    private static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)(p * sorted.Count))];
}
