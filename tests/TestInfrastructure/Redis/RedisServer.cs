using TestInfrastructure.Processes;

namespace TestInfrastructure.Redis;

/// <summary>
/// A real redis-server on a free loopback port, with no persistence. It can be killed and started
/// again on the same port, so tests can check what happens while Redis is down and after it is back.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private ManagedProcess? _process;

    private RedisServer(int port) => Port = port;

    public int Port { get; }

    /// <summary>StackExchange.Redis configuration string for this server.</summary>
    public string ConnectionString => $"127.0.0.1:{Port},abortConnect=false,connectTimeout=2000,syncTimeout=2000";

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>The running server's process id (benchmarks read its CPU time); null when it is not running.</summary>
    public int? Pid => IsRunning ? _process!.Pid : null;

    /// <summary>
    /// Host settings ("--Key=value") that keep admission's limits in this server. The limiter's timeout is
    /// raised from its 200 ms default to 5 s, so a busy test machine is not taken for a failing Redis; tests
    /// of the timeout itself configure their own.
    /// </summary>
    public string[] AdmissionSettings => ["--Admission:Store=Redis", $"--Admission:RedisConfiguration={ConnectionString}", "--Admission:RedisTimeoutMs=5000"];

    public static async Task<RedisServer> StartAsync()
    {
        for (var attempt = 0; ; attempt++)
        {
            var server = new RedisServer(FreePort.Next());
            try
            {
                await server.RestartAsync();
                return server;
            }
            catch (InvalidOperationException) when (attempt < 3)
            {
                // Another process took the port between probing and binding; take a new one.
                await server.DisposeAsync();
            }
        }
    }

    /// <summary>Starts the server (again) on the same port and waits until it accepts connections.</summary>
    public async Task RestartAsync()
    {
        if (IsRunning)
        {
            return;
        }

        _process = ManagedProcess.Start(
            ToolPaths.RedisServer,
            ["--port", Port.ToString(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--protected-mode", "yes"],
            name: "redis-server");
        await _process.WaitForOutputAsync(line => line.Contains("Ready to accept connections", StringComparison.Ordinal), TimeSpan.FromSeconds(20));
        await FreePort.WaitUntilListeningAsync(Port, TimeSpan.FromSeconds(10), () => !_process.HasExited);
    }

    /// <summary>SIGKILL, as in a crash of the Redis host.</summary>
    public void Kill() => _process?.Kill();

    /// <summary>SIGSTOP: connections stay open but nothing is answered, as with a hung or swapping Redis.</summary>
    public void Pause() => _process?.Pause();

    /// <summary>SIGCONT after <see cref="Pause"/>.</summary>
    public void Resume() => _process?.Resume();

    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
            _process = null;
        }
    }
}
