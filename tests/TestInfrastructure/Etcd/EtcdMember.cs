using System.Net.Http;
using TestInfrastructure.Processes;

namespace TestInfrastructure.Etcd;

/// <summary>
/// One etcd-server process of an <see cref="EtcdCluster"/>: its own client and peer ports on loopback and its own data
/// directory. It can be paused (SIGSTOP: sockets stay open, nothing is answered, as with a hung or partitioned member),
/// resumed, killed and started again with its data.
/// </summary>
public sealed class EtcdMember : IAsyncDisposable
{
    private readonly string _initialCluster;
    private readonly string _clusterToken;
    private readonly string[] _extraArguments;
    private ManagedProcess? _process;
    private bool _started;

    internal EtcdMember(string name, int clientPort, int peerPort, string dataDirectory, string initialCluster, string clusterToken, string[] extraArguments)
    {
        _extraArguments = extraArguments;
        Name = name;
        ClientPort = clientPort;
        PeerPort = peerPort;
        DataDirectory = dataDirectory;
        _initialCluster = initialCluster;
        _clusterToken = clusterToken;
    }

    public string Name { get; }

    public int ClientPort { get; }

    public int PeerPort { get; }

    public string DataDirectory { get; }

    /// <summary>The gRPC/HTTP client URL of this member.</summary>
    public string ClientUrl => $"http://127.0.0.1:{ClientPort}";

    public string PeerUrl => $"http://127.0.0.1:{PeerPort}";

    public bool IsRunning => _process is { HasExited: false };

    public int? Pid => _process?.Pid;

    public string RecentOutput => _process?.RecentOutput ?? "";

    /// <summary>Starts the process (again, with its data directory) and waits until its client port accepts connections.</summary>
    internal async Task StartProcessAsync()
    {
        if (IsRunning)
        {
            return;
        }

        _process = ManagedProcess.Start(
            ToolPaths.Etcd,
            [
                "--name", Name,
                "--data-dir", DataDirectory,
                "--listen-client-urls", ClientUrl,
                "--advertise-client-urls", ClientUrl,
                "--listen-peer-urls", PeerUrl,
                "--initial-advertise-peer-urls", PeerUrl,
                "--initial-cluster", _initialCluster,
                "--initial-cluster-token", _clusterToken,
                // "new" only at the first start: a restarted member rejoins from its data directory.
                "--initial-cluster-state", _started ? "existing" : "new",
                // No metrics or pprof listeners: nothing else binds a port.
                "--log-level", "warn",
                "--logger", "zap",
                .. _extraArguments,
            ],
            name: "etcd " + Name);
        _started = true;
        await FreePort.WaitUntilListeningAsync(ClientPort, TimeSpan.FromSeconds(20), () => !_process.HasExited);
        if (_process.HasExited)
        {
            throw new InvalidOperationException($"etcd {Name} exited with code {_process.ExitCode}. Output:\n{_process.RecentOutput}");
        }
    }

    /// <summary>True when the member answers /health with {"health":"true"} (it is part of a cluster that has a raft leader).</summary>
    public async Task<bool> IsHealthyAsync(HttpClient http)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (!IsRunning)
        {
            return false;
        }

        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            var body = await http.GetStringAsync(ClientUrl + "/health", cts.Token);
            return body.Contains("\"health\":\"true\"", StringComparison.Ordinal);
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>SIGSTOP: the member keeps its sockets open but answers nothing (clients time out rather than fail fast).</summary>
    public void Pause() => _process?.Pause();

    /// <summary>SIGCONT after <see cref="Pause"/>.</summary>
    public void Resume() => _process?.Resume();

    /// <summary>SIGKILL, as in a crash of the member's host.</summary>
    public void Kill() => _process?.Kill();

    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
            _process = null;
        }
    }
}
