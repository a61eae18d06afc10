using System.Collections.Concurrent;
using System.Text.Json;
using TestInfrastructure;
using TestInfrastructure.Ethereum;
using TestInfrastructure.Processes;
using TestInfrastructure.Sequencer;

namespace Acceptance.Replication;

/// <summary>
/// Three sequencer processes (the built Sequencer.dll) in one replica set on a real etcd, each with its own port and data
/// directory. A node that exits on its own (exit code 3 after its unacknowledged tail was found, or a crash) is started
/// again, as a service manager's Restart=always would; a node the test killed stays down until <see cref="Revive"/>.
/// </summary>
internal sealed class ReplicaProcessSet : IAsyncDisposable
{
    public const string Secret = "replica-process-set-shared-secret";
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    private readonly SequencerProcess[] _nodes;
    private readonly string _root;
    private readonly bool[] _wanted = [true, true, true];
    private readonly bool[] _paused = new bool[3];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task[] _supervisors = new Task[3];
    private readonly ConcurrentQueue<(int Node, int Code)> _exits = new();

    private readonly bool[] _ready = new bool[3];
    private readonly bool[] _killed = new bool[3];

    private ReplicaProcessSet(string root, SequencerProcess[] nodes, string? logDirectory)
    {
        _root = root;
        _nodes = nodes;
        LogDirectory = logDirectory;
    }

    /// <summary>Where each node's whole log is kept (<c>n0.log</c>…, across restarts), or null; outside the data directories, so it outlives the set.</summary>
    public string? LogDirectory { get; }

    /// <summary>The nodes' data directories (<c>n0</c>…) are under this one.</summary>
    public string DataRoot => _root;

    /// <summary>Leave the data directories in place on dispose (a failed run: the logs on disk are evidence too).</summary>
    public bool KeepData { get; set; }

    /// <summary>The whole log of <paramref name="node"/>, or null without a log directory.</summary>
    public string? LogFile(int node) => _nodes[node].LogFile;

    /// <summary>
    /// A new directory for the replicas' whole logs: under FAILOVER_LOG_DIR when set (bench/failover.sh), else under the
    /// test output directory (bin/…/replica-logs), one per run.
    /// </summary>
    public static string NewLogDirectory(string test)
    {
        var root = Environment.GetEnvironmentVariable("FAILOVER_LOG_DIR") is { Length: > 0 } configured
            ? configured
            : Path.Combine(AppContext.BaseDirectory, "replica-logs");
        var directory = Path.Combine(Path.GetFullPath(root), $"{test}-{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Environment.ProcessId}");
        Directory.CreateDirectory(directory);
        return directory;
    }

    /// <summary>Every exit the test did not cause: node and exit code (3: it stopped to have its unacknowledged tail cut).</summary>
    public IReadOnlyCollection<(int Node, int Code)> Exits => _exits;

    public int Restarts { get; private set; }

    /// <param name="etcdUrls">The etcd members the set elects its leader on.</param>
    /// <param name="extraSettings">More settings for every node (batcher, timings).</param>
    public static Task<ReplicaProcessSet> StartAsync(IReadOnlyList<string> etcdUrls, params string[] extraSettings) =>
        StartAsync(etcdUrls, logDirectory: null, extraSettings);

    /// <param name="etcdUrls">The etcd members the set elects its leader on.</param>
    /// <param name="logDirectory">Where each node's whole log goes (with the replication events at Information), or null.</param>
    /// <param name="extraSettings">More settings for every node (batcher, timings).</param>
    public static async Task<ReplicaProcessSet> StartAsync(IReadOnlyList<string> etcdUrls, string? logDirectory, params string[] extraSettings)
    {
        var ports = new[] { FreePort.Next(), FreePort.Next(), FreePort.Next() };
        var prefix = $"/failover-{Guid.NewGuid():N}/";
        var root = Directory.CreateTempSubdirectory("replica-set-").FullName;
        var nodes = new SequencerProcess[3];
        for (var i = 0; i < 3; i++)
        {
            var peers = Enumerable.Range(0, 3).Where(j => j != i).ToArray();
            List<string> settings =
            [
                "--Logging:LogLevel:Default=Warning",
                $"--Sequencer:Replication:NodeId=n{i}",
                $"--Sequencer:Replication:AdvertisedUrl={PortUrl(ports[i])}",
                $"--Sequencer:Replication:KeyPrefix={prefix}",
                $"--Sequencer:Replication:SharedSecret={Secret}",
            ];
            settings.AddRange(etcdUrls.Select((url, m) => $"--Sequencer:Replication:EtcdEndpoints:{m}={url}"));
            for (var p = 0; p < peers.Length; p++)
            {
                settings.Add($"--Sequencer:Replication:Peers:{p}:NodeId=n{peers[p]}");
                settings.Add($"--Sequencer:Replication:Peers:{p}:Url={PortUrl(ports[peers[p]])}");
            }

            if (logDirectory is not null)
            {
                // Elections, leases, links and catch-up: a handful of lines per failover, what a stall is diagnosed from.
                settings.Add("--Logging:LogLevel:Sequencer.Replication=Information");
            }

            settings.AddRange(extraSettings);
            var logFile = logDirectory is null ? null : Path.Combine(logDirectory, $"n{i}.log");
            nodes[i] = await SequencerProcess.CreateAsync(ports[i], Path.Combine(root, $"n{i}"), logFile, [.. settings]);
        }

        var set = new ReplicaProcessSet(root, nodes, logDirectory);
        for (var i = 0; i < 3; i++)
        {
            var node = i;
            set._supervisors[i] = Task.Run(() => set.SuperviseAsync(node));
        }

        await Eventually.UntilAsync(() => Enumerable.Range(0, 3).All(set.IsReady), Bound, "all three replicas started");
        return set;
    }

    public Uri Url(int node) => _nodes[node].RpcUrl;

    public SequencerProcess Node(int node) => _nodes[node];

    /// <summary>Running, not paused, and answering (the supervisor saw /health/ready).</summary>
    public bool IsReady(int node) => _wanted[node] && !_paused[node] && _nodes[node].IsRunning && _ready[node];

    /// <summary>SIGKILL; the node stays down until <see cref="Revive"/>.</summary>
    public Task KillAsync(int node)
    {
        _wanted[node] = false;
        _ready[node] = false;
        _killed[node] = true;
        return _nodes[node].KillAsync();
    }

    /// <summary>Lets the supervisor start a killed node again.</summary>
    public void Revive(int node) => _wanted[node] = true;

    public void Pause(int node)
    {
        _paused[node] = true;
        _nodes[node].Pause();
    }

    public void Resume(int node)
    {
        _nodes[node].Resume();
        _paused[node] = false;
    }

    /// <summary>sequencer_getStatus of a node, or null when it does not answer within a second.</summary>
    public async Task<JsonElement?> StatusAsync(int node)
    {
        if (!_nodes[node].IsRunning || _paused[node])
        {
            return null;
        }

        try
        {
            using var rpc = new RpcTestClient(Url(node), TimeSpan.FromSeconds(1));
            var response = await rpc.CallAsync("sequencer_getStatus");
            return response.Error is null ? response.Result.Clone() : null;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>
    /// Waits for one leader that every ready node follows (the same epoch) and, when <paramref name="acknowledged"/>, whose
    /// followers all acknowledge; returns its index.
    /// </summary>
    public async Task<int> LeaderAsync(bool acknowledged = false)
    {
        var leader = -1;
        var seen = "";
        await Eventually.UntilAsync(async () =>
        {
            var statuses = await Task.WhenAll(Enumerable.Range(0, 3).Select(StatusAsync));
            seen = string.Join("; ", statuses.Select((s, i) => $"n{i}: " + (s?.GetProperty("replication").GetRawText() ?? "down")));
            var leaders = Enumerable.Range(0, 3).Where(i => statuses[i]?.GetProperty("replication").GetProperty("role").GetString() == "leader").ToArray();
            if (leaders.Length != 1)
            {
                return false;
            }

            leader = leaders[0];
            var replication = statuses[leader]!.Value.GetProperty("replication");
            var epoch = replication.GetProperty("epoch").GetRawText();
            var followed = Enumerable.Range(0, 3).All(i => !IsReady(i) || statuses[i]?.GetProperty("replication").GetProperty("epoch").GetRawText() == epoch);
            return followed && (!acknowledged || (Enumerable.Range(0, 3).All(IsReady)
                && replication.GetProperty("followers").EnumerateArray().All(f => f.GetProperty("acknowledging").GetBoolean())));
        }, done => done, Bound, _ => "one leader every node follows" + (acknowledged ? ", all followers acknowledging" : "") + "; last seen: " + seen);
        return leader;
    }

    private async Task SuperviseAsync(int node)
    {
        var process = _nodes[node];
        var first = true;
        while (!_stop.IsCancellationRequested)
        {
            if (_wanted[node] && !process.IsRunning)
            {
                _ready[node] = false;
                if (!first && !_killed[node] && process.ExitCode is { } code)
                {
                    _exits.Enqueue((node, code));
                }

                _killed[node] = false;

                try
                {
                    if (!first)
                    {
                        Restarts++;
                    }

                    first = false;
                    await process.RestartAsync();
                    _ready[node] = true;
                }
                catch (InvalidOperationException)
                {
                    // It exited while starting (e.g. code 3: its tail is cut at the next start): the loop starts it again.
                }
            }

            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_supervisors.Where(s => s is not null));
        foreach (var node in _nodes)
        {
            node.Resume();
            await node.DisposeAsync();
        }

        if (KeepData)
        {
            return;
        }

        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static string PortUrl(int port) => $"http://127.0.0.1:{port}";
}
