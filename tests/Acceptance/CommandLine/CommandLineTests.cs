using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using TestInfrastructure.Sequencer;

namespace Acceptance.CommandLine;

/// <summary>The program's command line (issue 14 item 6): help, version, mistakes end with one line and exit 2.</summary>
public sealed class CommandLineTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Help_and_version_print_and_exit_0_and_mistakes_exit_2_with_one_line()
    {
        await using var sequencer = await SequencerProcess.LaunchAsync("Production", testKeys: true, "--Logging:LogLevel:Default=Warning");

        var help = await sequencer.RunToExitAsync(Timeout, "--help");
        var version = await sequencer.RunToExitAsync(Timeout, "--version");
        var unknown = await sequencer.RunToExitAsync(Timeout, "--frobnicate");
        var badValue = await sequencer.RunToExitAsync(Timeout, "--Sequencer:ChainId=abc");
        var badKind = await sequencer.RunToExitAsync(Timeout, "--Sequencer:Execution:Kind=geth");

        Assert.Equal(0, help.ExitCode);
        Assert.Contains("--Urls=", help.Output, StringComparison.Ordinal);
        Assert.Contains("--Logging:Console:FormatterName=json", help.Output, StringComparison.Ordinal);
        Assert.Equal(0, version.ExitCode);
        Assert.Matches(@"^rollup-sequencer \d+\.\d+\.\d+$", version.Output.Trim());
        AssertOneLine(unknown, "unknown option --frobnicate");
        AssertOneLine(badValue, "setting Sequencer:ChainId: \"abc\" is not a valid whole number");
        AssertOneLine(badKind, "Sequencer:Execution:Kind must be none, anvil, engine or auto, got \"geth\"");
    }

    [Fact]
    public async Task A_taken_port_ends_the_start_with_one_line_naming_it()
    {
        using var holder = new TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        var port = ((IPEndPoint)holder.LocalEndpoint).Port;
        // Given last, this --Urls wins over the free port the fixture picks; errors only, so the output is that line.
        await using var sequencer = await SequencerProcess.LaunchAsync("Production", testKeys: true,
            "--Logging:LogLevel:Default=Error", "--Logging:LogLevel:Microsoft.AspNetCore=Error", $"--Urls=http://127.0.0.1:{port}");

        Assert.True(await sequencer.WaitForExitAsync(Timeout));
        AssertOneLine((sequencer.ExitCode ?? -1, sequencer.RecentOutput), $"Urls: http://127.0.0.1:{port} is already in use by another process");
    }

    [Fact]
    public async Task Json_console_logs_carry_the_start_up_summary()
    {
        await using var sequencer = await SequencerProcess.StartAsync("--Logging:Console:FormatterName=json");

        var lines = sequencer.RecentOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var entries = lines.Select(line => JsonDocument.Parse(line).RootElement).ToArray();
        var summary = entries.Single(e => e.GetProperty("EventId").GetInt32() == 51 && e.GetProperty("Category").GetString() == "Sequencer.Startup");
        var state = summary.GetProperty("State");
        Assert.Equal(SequencerProcess.ChainId.ToString(), state.GetProperty("ChainId").ToString());
        Assert.Equal($"http://127.0.0.1:{sequencer.Port}/", state.GetProperty("HttpUrls").GetString());
        Assert.Equal($"ws://127.0.0.1:{sequencer.Port}/ws", state.GetProperty("WebSocketUrls").GetString());
        Assert.Contains("/admin", state.GetProperty("Pages").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("ordering only", state.GetProperty("ExecutionMode").GetString(), StringComparison.Ordinal);
        Assert.Equal(Path.GetFullPath(sequencer.DataDirectory), state.GetProperty("DataDirectory").GetString());
        Assert.Matches("^0x[0-9a-f]{40}$", state.GetProperty("SequencerAddress").GetString());
    }

    private static void AssertOneLine((int ExitCode, string Output) run, string expected)
    {
        Assert.True(run.ExitCode == 2, $"exit {run.ExitCode}: {run.Output}");
        var lines = run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var line = Assert.Single(lines);
        Assert.StartsWith("The sequencer cannot start: ", line, StringComparison.Ordinal);
        Assert.Contains(expected, line, StringComparison.Ordinal);
    }
}
