using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Sequencer.Execution;

/// <summary>
/// <c>Sequencer:Execution:Kind=auto</c> in Development: anvil as a child process the host starts before execution
/// begins and stops when it stops, with the arguments docs/execution.md prescribes, so a plain <c>dotnet run</c> gives
/// receipts and balances (anvil funds its well-known dev accounts). Its state lives in memory: after a restart the
/// follower executes the sequencer's chain on it again from genesis (docs/execution.md, "Resuming").
/// </summary>
internal sealed partial class ManagedAnvil(string binary, int port, ulong chainId, ulong gasLimit, ILogger<ManagedAnvil> logger) : IHostedService, IDisposable
{
    private Process? _process;

    public string RpcUrl => $"http://127.0.0.1:{port}";

    public IReadOnlyList<string> Arguments =>
    [
        "--no-mining", "--order", "fifo", "--base-fee", "0",
        "--chain-id", chainId.ToString(CultureInfo.InvariantCulture),
        "--gas-limit", gasLimit.ToString(CultureInfo.InvariantCulture),
        "--host", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture),
    ];

    /// <summary>A loopback port free a moment ago, for anvil to bind.</summary>
    public static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in Arguments)
        {
            start.ArgumentList.Add(argument);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {binary}");
        // anvil prints its banner and one line per request: read and drop it, so a full pipe never blocks anvil.
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        var deadline = TimeProvider.System.GetTimestamp();
        while (!await AnswersAsync(cancellationToken).ConfigureAwait(false))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"the managed anvil ({binary}) exited with {_process.ExitCode} at start; is port {port} taken?");
            }

            if (TimeProvider.System.GetElapsedTime(deadline) > TimeSpan.FromSeconds(30))
            {
                throw new InvalidOperationException($"the managed anvil ({binary}) did not listen on port {port} within 30 s");
            }

            await Task.Delay(50, cancellationToken).ConfigureAwait(false);
        }

        LogStarted(binary, _process.Id, RpcUrl);
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
            LogStopped(process.Id);
        }

        return Task.CompletedTask;
    }

    public void Dispose()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
        }

        _process?.Dispose();
    }

    private async Task<bool> AnswersAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, port, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    [LoggerMessage(EventId = 620, Level = LogLevel.Information, Message = "Execution: started anvil {Binary} (pid {Pid}) at {RpcUrl}, managed by the sequencer (Sequencer:Execution:Kind=auto)")]
    private partial void LogStarted(string binary, int pid, string rpcUrl);

    [LoggerMessage(EventId = 621, Level = LogLevel.Information, Message = "Execution: stopped the managed anvil (pid {Pid})")]
    private partial void LogStopped(int pid);
}
