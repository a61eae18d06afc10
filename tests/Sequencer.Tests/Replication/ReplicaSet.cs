using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Sequencer.Hosting;
using Sequencer.Replication;
using Sequencer.Tests.Infrastructure;
using TestInfrastructure;
using TestInfrastructure.Ethereum;
using TestInfrastructure.Processes;

namespace Sequencer.Tests.Replication;

/// <summary>Three sequencer hosts in this process, one replica set on a real etcd, each with its own data directory and port.</summary>
internal sealed class ReplicaSet : IAsyncDisposable
{
    public const string Secret = "replica-set-test-shared-secret";
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    private readonly string[] _ids = ["a", "b", "c"];
    private readonly int[] _ports = [FreePort.Next(), FreePort.Next(), FreePort.Next()];
    private readonly string[] _data;
    private readonly WebApplication?[] _apps = new WebApplication?[3];
    private readonly string[][] _settings = new string[3][];

    /// <param name="etcdUrl">The etcd the set elects its leader on.</param>
    /// <param name="extraSettings">More command-line settings for every node (e.g. a longer block time).</param>
    public ReplicaSet(string etcdUrl, params string[] extraSettings)
    {
        var prefix = $"/set-{Guid.NewGuid():N}/";
        _data = _ids.Select(id => Path.Combine(Path.GetTempPath(), $"seq-set-{id}-" + Guid.NewGuid().ToString("N"))).ToArray();
        for (var i = 0; i < 3; i++)
        {
            var peers = Enumerable.Range(0, 3).Where(j => j != i).ToArray();
            string[] settings =
            [
                $"--Urls={Url(i)}",
                $"--Sequencer:DataDirectory={_data[i]}",
                .. SequencerHostFixture.KeySettings,
                "--Logging:LogLevel:Default=Warning",
                $"--Sequencer:Replication:NodeId={_ids[i]}",
                $"--Sequencer:Replication:AdvertisedUrl={Url(i)}",
                $"--Sequencer:Replication:EtcdEndpoints:0={etcdUrl}",
                $"--Sequencer:Replication:KeyPrefix={prefix}",
                $"--Sequencer:Replication:SharedSecret={Secret}",
                "--Sequencer:Replication:LeaseTtlSeconds=2",
                "--Sequencer:Replication:KeepAliveIntervalMs=500",
                $"--Sequencer:Replication:Peers:0:NodeId={_ids[peers[0]]}",
                $"--Sequencer:Replication:Peers:0:Url={Url(peers[0])}",
                $"--Sequencer:Replication:Peers:1:NodeId={_ids[peers[1]]}",
                $"--Sequencer:Replication:Peers:1:Url={Url(peers[1])}",
                .. extraSettings,
            ];
            _settings[i] = settings;
            _apps[i] = SequencerApp.Build(settings);
        }
    }

    public string Url(int node) => $"http://127.0.0.1:{_ports[node]}";

    public WebApplication App(int node) => _apps[node] ?? throw new InvalidOperationException($"node {node} is stopped");

    public bool IsRunning(int node) => _apps[node] is not null;

    public LeadershipState Leadership(int node) => App(node).Services.GetRequiredService<LeadershipState>();

    public string NodeId(int node) => _ids[node];

    public string DataDirectory(int node) => _data[node];

    /// <summary>True once the node's host asked to stop (as a replica does to have its log cut at the next start).</summary>
    public bool IsStopping(int node) => App(node).Lifetime.ApplicationStopping.IsCancellationRequested;

    public RpcTestClient Rpc(int node) => new(new Uri(Url(node) + "/"));

    public async Task StartAsync()
    {
        await Task.WhenAll(_apps.Select(app => app!.StartAsync()));
    }

    /// <summary>Waits for one leader that every running node follows; returns its index.</summary>
    public async Task<int> LeaderAsync()
    {
        var leader = -1;
        await Eventually.UntilAsync(() =>
        {
            var leaders = Enumerable.Range(0, 3).Where(i => IsRunning(i) && Leadership(i).IsLeader).ToArray();
            if (leaders.Length != 1)
            {
                return false;
            }

            leader = leaders[0];
            var epoch = Leadership(leader).Current.Epoch;
            return Enumerable.Range(0, 3).All(i => !IsRunning(i) || Leadership(i).Current.Epoch == epoch);
        }, Bound, "one leader that every node follows");
        return leader;
    }

    /// <summary>Starts a stopped node again on its data directory.</summary>
    public async Task RestartAsync(int node)
    {
        var app = SequencerApp.Build(_settings[node]);
        await app.StartAsync();
        _apps[node] = app;
    }

    public async Task StopAsync(int node)
    {
        if (_apps[node] is { } app)
        {
            _apps[node] = null;
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        for (var i = 0; i < 3; i++)
        {
            await StopAsync(i);
        }

        foreach (var directory in _data)
        {
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
