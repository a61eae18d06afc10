using System.Net.Http;
using TestInfrastructure.Processes;

namespace TestInfrastructure.Sequencer;

/// <summary>
/// The sequencer as a child process (the built Sequencer.dll, run by `dotnet`), on a free loopback
/// port with its own data directory. It can be killed with SIGKILL and started again on the same
/// port and data, which is how crash tests simulate a power cut.
/// </summary>
public sealed class SequencerProcess : IAsyncDisposable
{
    public const ulong ChainId = 424242;

    /// <summary>A test-only sequencer key, written to a key file in the data directory.</summary>
    public const string TestPrivateKey = "8da4ef21b864d2cc526dbdb2a120bd2874c36c9d0a1fb7f8c63d7f7a8b41de8f";

    private readonly string[] _settings;
    private readonly bool _ownsDataDirectory;
    private ManagedProcess? _process;

    private SequencerProcess(int port, string dataDirectory, string[] settings, bool ownsDataDirectory = true)
    {
        Port = port;
        DataDirectory = dataDirectory;
        _settings = settings;
        _ownsDataDirectory = ownsDataDirectory;
    }

    public int Port { get; }

    public string DataDirectory { get; }

    public Uri RpcUrl => new($"http://127.0.0.1:{Port}/");

    public bool IsRunning => _process is { HasExited: false };

    public string RecentOutput => _process?.RecentOutput ?? string.Empty;

    public int Pid => _process?.Pid ?? 0;

    /// <summary>The built sequencer, from the same configuration (Debug/Release) as the running tests.</summary>
    public static string SequencerDll
    {
        get
        {
            var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release";
            var dll = Path.Combine(ToolPaths.RepoRoot, "src", "Sequencer", "bin", configuration, "net10.0", "Sequencer.dll");
            return File.Exists(dll) ? dll : throw new FileNotFoundException("build the solution first: " + dll);
        }
    }

    /// <summary>Starts a sequencer; <paramref name="settings"/> are extra "--Key=value" configuration pairs.</summary>
    public static Task<SequencerProcess> StartAsync(params string[] settings) =>
        StartAsync(Path.Combine(Path.GetTempPath(), "seq-proc-" + Guid.NewGuid().ToString("N")), ownsDataDirectory: true, settings);

    /// <summary>Starts a sequencer on <paramref name="dataDirectory"/> (created if missing, left in place on dispose).</summary>
    public static Task<SequencerProcess> StartInAsync(string dataDirectory, params string[] settings) =>
        StartAsync(dataDirectory, ownsDataDirectory: false, settings);

    private static async Task<SequencerProcess> StartAsync(string dataDirectory, bool ownsDataDirectory, string[] settings)
    {
        Directory.CreateDirectory(dataDirectory);
        await File.WriteAllTextAsync(Path.Combine(dataDirectory, "sequencer.key"), TestPrivateKey);
        for (var attempt = 0; ; attempt++)
        {
            var sequencer = new SequencerProcess(FreePort.Next(), dataDirectory, settings, ownsDataDirectory);
            try
            {
                await sequencer.RestartAsync();
                return sequencer;
            }
            catch (InvalidOperationException) when (attempt < 3)
            {
                await sequencer.StopProcessAsync();
            }
        }
    }

    /// <summary>Starts the process again on the same port and data directory; waits for /health/ready.</summary>
    public async Task RestartAsync()
    {
        if (IsRunning)
        {
            return;
        }

        _process = Launch(Port, []);
        await WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
    }

    /// <summary>
    /// Runs the sequencer program once more on this data directory, on a port of its own, with
    /// <paramref name="extraArguments"/> (a command such as --recover-wal, or nothing), and waits for it to exit:
    /// for starts that must be refused and for operator commands. This instance's own process is left as it is.
    /// </summary>
    public async Task<(int ExitCode, string Output)> RunToExitAsync(TimeSpan timeout, params string[] extraArguments)
    {
        await using var process = Launch(FreePort.Next(), extraArguments);
        if (!await process.WaitForExitAsync(timeout))
        {
            throw new InvalidOperationException($"sequencer {string.Join(' ', extraArguments)} still running after {timeout}:\n{process.RecentOutput}");
        }

        return (process.ExitCode!.Value, process.RecentOutput);
    }

    /// <summary>SIGKILL: no flush, no shutdown hooks.</summary>
    public void Kill() => _process?.Kill();

    /// <summary>SIGTERM and a wait for the process to end (SIGKILL after 30 s).</summary>
    public async Task StopAsync()
    {
        if (_process is not null)
        {
            await _process.StopAsync(TimeSpan.FromSeconds(30));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopProcessAsync();
        if (!_ownsDataDirectory)
        {
            return;
        }

        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private ManagedProcess Launch(int port, string[] extraArguments)
    {
        string[] arguments =
        [
            SequencerDll,
            $"--Urls=http://127.0.0.1:{port}",
            $"--Sequencer:ChainId={ChainId}",
            $"--Sequencer:DataDirectory={DataDirectory}",
            $"--Sequencer:KeyFile={Path.Combine(DataDirectory, "sequencer.key")}",
            "--Sequencer:GenerateDevKey=false",
            .. _settings,
            .. extraArguments,
        ];
        return ManagedProcess.Start("dotnet", arguments, ToolPaths.RepoRoot, new Dictionary<string, string?> { ["DOTNET_ENVIRONMENT"] = "Production" }, "sequencer");
    }

    private async Task StopProcessAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
            _process = null;
        }
    }

    private async Task WaitUntilReadyAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (_process!.HasExited)
            {
                throw new InvalidOperationException($"sequencer exited with code {_process.ExitCode}:\n{_process.RecentOutput}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri(RpcUrl, "health/ready"));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"sequencer not ready within {timeout}:\n{_process.RecentOutput}");
            }

            await Task.Delay(100);
        }
    }
}
