using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;

namespace Admission.Benchmarks;

/// <summary>Cost of one sponsored-gate decision (policy + all limits), embedded store vs a real redis-server on loopback.</summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Throughput, launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class LimiterBenchmarks
{
    private LimiterSetup _setup = null!;
    private int _next;

    [Params("Embedded", "Redis")]
    public string Store { get; set; } = "Embedded";

    [GlobalSetup]
    public async Task SetupAsync() => _setup = await LimiterSetup.CreateAsync(Store);

    [GlobalCleanup]
    public async Task CleanupAsync() => await _setup.DisposeAsync();

    [Benchmark]
    public async Task<bool> Decision()
    {
        var identity = _setup.IdentityPool[_next++ % LimiterSetup.Identities];
        var decision = await _setup.Gate.AdmitAsync(identity, _setup.Call);
        return decision.IsAdmitted;
    }
}
