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
        var run = await RunForAsync(setup, concurrency, TimeSpan.FromSeconds(seconds));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"store={store} concurrency={concurrency} decisions={run.Count} seconds={run.Elapsed.TotalSeconds:F1} decisions/s={run.PerSecond:F0} " +
            $"p50={run.Percentile(0.50):F3}ms p99={run.Percentile(0.99):F3}ms max={run.Max:F3}ms"));
    }

    private static Task<LoadResult> RunForAsync(LimiterSetup setup, int concurrency, TimeSpan duration) =>
        TimedLoad.RunAsync(
            concurrency,
            duration,
            i => setup.Gate.AdmitAsync(setup.IdentityPool[i % LimiterSetup.Identities], setup.Call),
            decision =>
            {
                if (!decision.IsAdmitted)
                {
                    throw new InvalidOperationException("benchmark decision was not an admission: " + decision.Message);
                }
            });
}
