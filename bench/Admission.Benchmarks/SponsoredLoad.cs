using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Admission.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Sequencer.Hosting;
using TestInfrastructure.Redis;

namespace Admission.Benchmarks;

/// <summary>
/// End to end: sponsored transactions per second through a real sequencer host (HTTP JSON-RPC →
/// authenticate → gate with its limits → sign with the identity key → core → WAL fsync → soft
/// confirmation), the clients in the same process. Usage: <c>sponsored [Embedded|Redis] [concurrency] [seconds] [identities] [warm-up seconds]</c>.
/// The warm-up (2 s unless given) is not timed; a longer one leaves tiered JIT compilation out of the timed window, for
/// the steady state (with the 2 s default, JIT and not yet optimized code were about a third of the window's CPU).
/// </summary>
internal static class SponsoredLoad
{
    private const string Policy = """
        {
          "version": 1,
          "rules": [ {
            "name": "bench", "provider": "*",
            "allowedContracts": [ { "address": "*" } ],
            "maxGasPerTx": 100000,
            "rate": { "burst": { "count": 1000000, "periodSeconds": 1 } },
            "dailyGasBudget": 9000000000000000, "dailyTxQuota": 9000000000000 } ],
          "globalDailySponsoredGas": 9000000000000000000,
          "blocked": []
        }
        """;

    public static async Task RunAsync(string store, int concurrency, int seconds, int identities, int warmUpSeconds = 2)
    {
        var directory = Path.Combine(Path.GetTempPath(), "sponsored-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var policyFile = Path.Combine(directory, "policy.json");
        await File.WriteAllTextAsync(policyFile, Policy);
        await using var redis = store == "Redis" ? await RedisServer.StartAsync() : null;
        List<string> args =
        [
            "--Urls=http://127.0.0.1:0",
            $"--Sequencer:DataDirectory={directory}",
            "--Logging:LogLevel:Default=Warning",
            $"--Admission:PolicyFile={policyFile}",
            $"--Admission:Store={store}",
            // Benchmark-only keys: the host runs as Production, where keys are never generated.
            "--Sequencer:PrivateKey=4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318",
            "--Admission:MasterSecret=5e1a7c3b9d2f4e6a8c0b1d3f5a7c9e2b4d6f8a0c1e3b5d7f9a2c4e6b8d0f1a3c",
        ];
        if (redis is not null)
        {
            // The tests' settings: a 5 s limiter timeout instead of the 200 ms default. On a loaded machine the default
            // opened the circuit and the run aborted with -32005 "limiter unavailable": a measure of the machine's
            // scheduling, not of the path's throughput.
            args.AddRange(redis.AdmissionSettings);
        }

        var app = SequencerApp.Build([.. args], services =>
        {
            services.RemoveAll<IIdentityAuthenticator>();
            services.AddSingleton<IIdentityAuthenticator, BenchIdentityAuthenticator>();
        });
        await app.StartAsync();
        try
        {
            using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency }) { BaseAddress = new Uri(app.Urls.First()) };
            await RunForAsync(http, concurrency, identities, TimeSpan.FromSeconds(warmUpSeconds));
            var cpu = CpuTime.Start(redis?.Pid);
            var (jitted, allocated) = (System.Runtime.JitInfo.GetCompiledMethodCount(), GC.GetTotalAllocatedBytes());
            var run = await RunForAsync(http, concurrency, identities, TimeSpan.FromSeconds(seconds));
            var (process, server) = cpu.Elapsed();
            (jitted, allocated) = (System.Runtime.JitInfo.GetCompiledMethodCount() - jitted, GC.GetTotalAllocatedBytes() - allocated);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"sponsored store={store} concurrency={concurrency} identities={identities} confirmed={run.Count} seconds={run.Elapsed.TotalSeconds:F1} tx/s={run.PerSecond:F0} " +
                $"p50={run.Percentile(0.50):F2}ms p99={run.Percentile(0.99):F2}ms " +
                $"cpu-us/tx={process * 1e6 / run.Count:F0} redis-cpu-us/tx={server * 1e6 / run.Count:F0} " +
                $"alloc-B/tx={allocated / Math.Max(1, run.Count)} jitted={jitted}"));
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
            Directory.Delete(directory, recursive: true);
        }
    }

    private static Task<LoadResult> RunForAsync(HttpClient http, int concurrency, int identities, TimeSpan duration)
    {
        var body = Encoding.UTF8.GetBytes("""{"jsonrpc":"2.0","id":1,"method":"sequencer_sendSponsoredTransaction","params":[{"to":"0x1111111111111111111111111111111111111111","data":"0xa9059cbb","gas":"0xea60"}]}""");
        return TimedLoad.RunAsync(
            concurrency,
            duration,
            async i =>
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, "/");
                request.Headers.Add(BenchIdentityAuthenticator.Header, "user" + (i % identities).ToString(CultureInfo.InvariantCulture));
                request.Content = new ByteArrayContent(body);
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                using var response = await http.SendAsync(request);
                return await response.Content.ReadAsByteArrayAsync();
            },
            reply =>
            {
                using var document = JsonDocument.Parse(reply);
                if (document.RootElement.TryGetProperty("error", out var error))
                {
                    throw new InvalidOperationException("sponsored transaction failed: " + error.GetRawText());
                }
            });
    }
}
