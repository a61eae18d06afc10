using TestInfrastructure.Sequencer;

namespace Acceptance.Durability;

/// <summary>
/// Issue 10, finding 5, on real processes: a second sequencer started on the data directory of a running one used to
/// confirm too (two transactions signed with one sequence number). Now it exits at once, naming the directory and the
/// process that holds it, and the first keeps serving with nothing it confirmed changed.
/// </summary>
public sealed class DataDirectoryLockTests
{
    [Fact]
    public async Task ASecondProcessOnARunningHostsDataDirectory_ExitsNaming_TheDirectoryAndTheHolder()
    {
        await using var first = await SequencerProcess.StartAsync("--Logging:LogLevel:Default=Warning");
        var ledger = new ConfirmationLedger();
        await ledger.SendAsync(first.RpcUrl, seed: 8_200, wallets: 3, perWallet: 10);

        var (exitCode, output) = await first.RunToExitAsync(TimeSpan.FromSeconds(120));

        Assert.Equal(75, exitCode);
        var line = Assert.Single(output.Split('\n'), l => l.StartsWith("The sequencer cannot start: ", StringComparison.Ordinal));
        Assert.Contains($"data directory {Path.GetFullPath(first.DataDirectory)} is in use by another sequencer process (pid {first.Pid} on ", line);
        Assert.DoesNotContain("   at ", output);

        Assert.True(first.IsRunning);
        await ledger.SendAsync(first.RpcUrl, seed: 8_200, wallets: 3, perWallet: 10);
        Assert.Equal(60, ledger.Count);
        await ledger.AssertAllIntactAsync(first.RpcUrl);

        await first.KillAsync();
        await first.RestartAsync();
        await ledger.AssertAllIntactAsync(first.RpcUrl);
    }
}
