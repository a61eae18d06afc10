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

    /// <summary>A test-only master secret for identity accounts, written to a file in the data directory.</summary>
    public const string TestMasterSecret = "3b1f5e0c7a9d2e4f6081a3c5e7092b4d6f8193a5c7e90b2d4f6183a5c7e9f1d3";

    private readonly string[] _settings;
    private readonly string _environment;
    private readonly bool _testKeys;
    private readonly bool _ownsDataDirectory;
    private ManagedProcess? _process;

    /// <summary>
    /// When set, every line the process writes goes to this file too (appended across restarts, time-stamped): the whole
    /// log of a long run, where <see cref="RecentOutput"/> keeps only the last lines.
    /// </summary>
    public string? LogFile { get; init; }

    private SequencerProcess(int port, string dataDirectory, string[] settings, string environment, bool testKeys, bool ownsDataDirectory = true)
    {
        Port = port;
        DataDirectory = dataDirectory;
        _settings = settings;
        _environment = environment;
        _testKeys = testKeys;
        _ownsDataDirectory = ownsDataDirectory;
    }

    public int Port { get; }

    public string DataDirectory { get; }

    public Uri RpcUrl => new($"http://127.0.0.1:{Port}/");

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>The exit code once the process has exited on its own (or was stopped), else null.</summary>
    public int? ExitCode => _process?.ExitCode;

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

    /// <summary>
    /// Starts a sequencer in Production with the test keys (sequencer key and master secret files in its
    /// data directory); <paramref name="settings"/> are extra "--Key=value" configuration pairs.
    /// </summary>
    public static async Task<SequencerProcess> StartAsync(params string[] settings) =>
        await StartAsync(await NewDataDirectoryAsync(testKeys: true), ownsDataDirectory: true, settings);

    /// <summary>
    /// As <see cref="StartAsync(string[])"/>, on <paramref name="dataDirectory"/> (created if missing, left in place on dispose).
    /// </summary>
    public static async Task<SequencerProcess> StartInAsync(string dataDirectory, params string[] settings)
    {
        Directory.CreateDirectory(dataDirectory);
        await WriteTestKeysAsync(dataDirectory);
        return await StartAsync(dataDirectory, ownsDataDirectory: false, settings);
    }

    /// <summary>
    /// A sequencer on <paramref name="port"/> and <paramref name="dataDirectory"/> (test keys written there, left in place
    /// on dispose), not started: for a replica set, whose members must know each other's ports before any starts.
    /// Start it with <see cref="RestartAsync"/>.
    /// </summary>
    public static async Task<SequencerProcess> CreateAsync(int port, string dataDirectory, params string[] settings) =>
        await CreateAsync(port, dataDirectory, logFile: null, settings);

    /// <summary>As <see cref="CreateAsync(int, string, string[])"/>, with the whole output kept in <paramref name="logFile"/> (see <see cref="LogFile"/>).</summary>
    public static async Task<SequencerProcess> CreateAsync(int port, string dataDirectory, string? logFile, params string[] settings)
    {
        Directory.CreateDirectory(dataDirectory);
        await WriteTestKeysAsync(dataDirectory);
        return new SequencerProcess(port, dataDirectory, settings, "Production", testKeys: true, ownsDataDirectory: false) { LogFile = logFile };
    }

    private static async Task<SequencerProcess> StartAsync(string dataDirectory, bool ownsDataDirectory, string[] settings)
    {
        for (var attempt = 0; ; attempt++)
        {
            var sequencer = new SequencerProcess(FreePort.Next(), dataDirectory, settings, "Production", testKeys: true, ownsDataDirectory);
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

    /// <summary>
    /// Starts a sequencer that may refuse to start: in <paramref name="environment"/>, with the test keys only
    /// when <paramref name="testKeys"/>, and <paramref name="settings"/>. Returns once it is ready or has
    /// exited (see <see cref="ExitCode"/> and <see cref="RecentOutput"/>).
    /// </summary>
    public static async Task<SequencerProcess> LaunchAsync(string environment, bool testKeys, params string[] settings)
    {
        var sequencer = new SequencerProcess(FreePort.Next(), await NewDataDirectoryAsync(testKeys), settings, environment, testKeys);
        sequencer.StartProcess();
        await sequencer.WaitUntilReadyOrExitedAsync(TimeSpan.FromSeconds(60));
        return sequencer;
    }

    /// <summary>Waits for the process to exit on its own; false if it still runs after <paramref name="timeout"/>.</summary>
    public Task<bool> WaitForExitAsync(TimeSpan timeout) => _process?.WaitForExitAsync(timeout) ?? Task.FromResult(true);

    /// <summary>Starts the process again on the same port and data directory; waits for /health/ready.</summary>
    public async Task RestartAsync()
    {
        if (IsRunning)
        {
            return;
        }

        StartProcess();
        var timeout = TimeSpan.FromSeconds(60);
        if (!await WaitUntilReadyOrExitedAsync(timeout))
        {
            throw new InvalidOperationException(_process!.HasExited
                ? $"sequencer exited with code {_process.ExitCode}:\n{_process.RecentOutput}"
                : $"sequencer not ready within {timeout}:\n{_process.RecentOutput}");
        }
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

    /// <summary>
    /// SIGTERM, the operator's clean stop: waits up to <paramref name="grace"/> for the process to exit (then SIGKILL);
    /// see <see cref="ExitCode"/> and <see cref="RecentOutput"/> for how it ended.
    /// </summary>
    public async Task TerminateAsync(TimeSpan grace)
    {
        if (_process is not null)
        {
            await _process.StopAsync(grace);
            await _process.WaitForExitAsync(TimeSpan.FromSeconds(10)); // to the end of its output
        }
    }

    /// <summary>SIGKILL (no flush, no shutdown hooks), waiting for the exit without holding a thread (see <see cref="ManagedProcess.KillAsync"/>).</summary>
    /// <remarks>
    /// The signal goes to the one process: the sequencer starts no children, and a tree kill's search for them delayed
    /// the signal (a replica of the failover bench logged its work 335 ms after the test wrote that it killed it).
    /// </remarks>
    public Task KillAsync() => _process?.KillAsync(entireProcessTree: false) ?? Task.CompletedTask;

    /// <summary>SIGSTOP: sockets stay open, nothing runs (a long GC, a swapped-out VM, a hung host).</summary>
    public void Pause() => _process?.Pause();

    /// <summary>SIGCONT after <see cref="Pause"/>.</summary>
    public void Resume() => _process?.Resume();

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

    private async Task StopProcessAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
            _process = null;
        }
    }

    private static async Task<string> NewDataDirectoryAsync(bool testKeys)
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "seq-proc-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataDirectory);
        if (testKeys)
        {
            await WriteTestKeysAsync(dataDirectory);
        }

        return dataDirectory;
    }

    private static async Task WriteTestKeysAsync(string dataDirectory)
    {
        await File.WriteAllTextAsync(Path.Combine(dataDirectory, "sequencer.key"), TestPrivateKey);
        await File.WriteAllTextAsync(Path.Combine(dataDirectory, "test-master-secret"), TestMasterSecret);
    }

    private void StartProcess()
    {
        _process?.CloseLogFile();
        _process = Launch(Port, []);
    }

    private ManagedProcess Launch(int port, string[] extraArguments)
    {
        string[] keys = _testKeys
            ?
            [
                $"--Sequencer:KeyFile={Path.Combine(DataDirectory, "sequencer.key")}",
                $"--Admission:MasterSecretFile={Path.Combine(DataDirectory, "test-master-secret")}",
            ]
            : [];
        string[] arguments =
        [
            SequencerDll,
            $"--Urls=http://127.0.0.1:{port}",
            $"--Sequencer:ChainId={ChainId}",
            $"--Sequencer:DataDirectory={DataDirectory}",
            .. keys,
            .. _settings,
            .. extraArguments,
        ];
        return ManagedProcess.Start("dotnet", arguments, ToolPaths.RepoRoot, new Dictionary<string, string?> { ["DOTNET_ENVIRONMENT"] = _environment }, "sequencer",
            port == Port ? LogFile : null);
    }

    /// <summary>True once /health/ready answers 200; false if the process exited or <paramref name="timeout"/> passed first.</summary>
    private async Task<bool> WaitUntilReadyOrExitedAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (_process!.HasExited)
            {
                // Also waits for the end of its output, so that RecentOutput holds the last lines (the exit message).
                await _process.WaitForExitAsync(TimeSpan.FromSeconds(10));
                return false;
            }

            try
            {
                using var response = await http.GetAsync(new Uri(RpcUrl, "health/ready"));
                if (response.IsSuccessStatusCode)
                {
                    return true;
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
                return false;
            }

            await Task.Delay(100);
        }
    }
}
