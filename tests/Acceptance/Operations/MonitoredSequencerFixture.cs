using System.Text.Json;
using TestInfrastructure.Identity;
using TestInfrastructure.Processes;
using TestInfrastructure.Prometheus;
using TestInfrastructure.Sequencer;

namespace Acceptance.Operations;

/// <summary>
/// A real sequencer process watched by a real Prometheus that runs deploy/prometheus/prometheus.yml and alerts.yml
/// (the only changes: the target is this sequencer and the intervals are 1 s instead of 15 s, so that the test does
/// not wait minutes). Before the tests read anything, the sequencer is given work of each kind the panels and rules
/// look at: sponsored transactions admitted and refused, a batch posted to the local DA store.
/// </summary>
public sealed class MonitoredSequencerFixture : IAsyncLifetime
{
    public const string Collection = "monitored-sequencer";

    public static readonly string DeployDirectory = Path.Combine(ToolPaths.RepoRoot, "deploy");

    private readonly string _work = Directory.CreateTempSubdirectory("prometheus-").FullName;
    private SequencerProcess? _sequencer;
    private PrometheusServer? _prometheus;

    public SequencerProcess Sequencer => _sequencer ?? throw new InvalidOperationException("not started");

    public PrometheusServer Prometheus => _prometheus ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync()
    {
        _sequencer = await SequencerProcess.StartAsync(
            "--Admission:Identity:DevProvider:Enabled=true",
            "--Batcher:MaxBatchAgeMs=500",
            "--Logging:LogLevel:Default=Warning");
        await File.WriteAllTextAsync(Path.Combine(_work, "prometheus.yml"), ScrapeConfigFor(Sequencer.RpcUrl.Authority));
        File.Copy(Path.Combine(DeployDirectory, "prometheus", "alerts.yml"), Path.Combine(_work, "alerts.yml"));
        _prometheus = await PrometheusServer.StartAsync(Path.Combine(_work, "prometheus.yml"), _work);
        await GenerateTrafficAsync();
    }

    public async Task DisposeAsync()
    {
        if (_prometheus is not null)
        {
            await _prometheus.DisposeAsync();
        }

        if (_sequencer is not null)
        {
            await _sequencer.DisposeAsync();
        }

        Directory.Delete(_work, recursive: true);
    }

    /// <summary>deploy/prometheus/prometheus.yml with the target and intervals replaced (each must be found).</summary>
    private static string ScrapeConfigFor(string authority)
    {
        var config = File.ReadAllText(Path.Combine(DeployDirectory, "prometheus", "prometheus.yml"));
        foreach (var (from, to) in new[]
        {
            ("scrape_interval: 15s", "scrape_interval: 1s"),
            ("evaluation_interval: 15s", "evaluation_interval: 1s"),
            ("'127.0.0.1:8545'", $"'{authority}'"),
        })
        {
            if (!config.Contains(from, StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"deploy/prometheus/prometheus.yml no longer holds {from}");
            }

            config = config.Replace(from, to, StringComparison.Ordinal);
        }

        return config;
    }

    /// <summary>Two sponsored transactions admitted and one refused (another contract is allowed by the default policy, so: a blocked-free refusal by gas).</summary>
    private async Task GenerateTrafficAsync()
    {
        using var person = new SessionCookieClient(Sequencer.RpcUrl);
        await person.LogInAsync("watcher");
        foreach (var gas in new[] { "0x186a0", "0x186a0", "0xfffffff" })
        {
            using var response = await person.FromPageAsync(HttpMethod.Post, "/",
                $$"""{"jsonrpc":"2.0","id":1,"method":"sequencer_sendSponsoredTransaction","params":[{"to":"0x000000000000000000000000000000000000dead","gas":"{{gas}}"}]}""");
            var reply = await System.Net.Http.Json.HttpContentJsonExtensions.ReadFromJsonAsync<JsonElement>(response.Content);
            if (gas == "0xfffffff" ? !reply.TryGetProperty("error", out _) : !reply.TryGetProperty("result", out _))
            {
                throw new InvalidOperationException("unexpected answer to a sponsored call: " + reply.GetRawText());
            }
        }
    }
}

[CollectionDefinition(MonitoredSequencerFixture.Collection)]
public sealed class MonitoredSequencerCollection : ICollectionFixture<MonitoredSequencerFixture>;
