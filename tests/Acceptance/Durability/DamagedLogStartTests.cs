using TestInfrastructure.Sequencer;

namespace Acceptance.Durability;

/// <summary>
/// Issue 10, finding 1, on a real process: one flipped byte in the middle of the newest log segment used to cut every
/// confirmed transaction after it and re-sign their sequence numbers. Now the start is refused with one line and exit
/// code 65, nothing is cut, and once the byte is restored (as from a backup) every confirmation is back.
/// </summary>
public sealed class DamagedLogStartTests
{
    [Fact]
    public async Task AByteFlippedInTheNewestSegment_EndsTheStartWithOneLineAndExit65_AndCutsNothing()
    {
        await using var sequencer = await SequencerProcess.StartAsync("--Logging:LogLevel:Default=Warning");
        var ledger = new ConfirmationLedger();
        await ledger.SendAsync(sequencer.RpcUrl, seed: 8_100, wallets: 6, perWallet: 40);
        await sequencer.KillAsync();

        var segment = Directory.GetFiles(Path.Combine(sequencer.DataDirectory, "wal"), "*.wal").Order().Last();
        var bytes = await File.ReadAllBytesAsync(segment);
        var middle = bytes.Length / 2;
        var original = bytes[middle];
        bytes[middle] ^= 0x10;
        await File.WriteAllBytesAsync(segment, bytes);

        var (exitCode, output) = await sequencer.RunToExitAsync(TimeSpan.FromSeconds(120));

        Assert.Equal(65, exitCode);
        var line = Assert.Single(output.Split('\n'), l => l.StartsWith("The sequencer cannot start: ", StringComparison.Ordinal));
        Assert.StartsWith($"The sequencer cannot start: write-ahead log damaged: {segment} at offset ", line);
        Assert.Matches(@"\d+ valid records follow it in this segment", line);
        Assert.Contains("Nothing was cut", line);
        Assert.DoesNotContain("Unhandled exception", output);
        Assert.DoesNotContain("   at ", output);
        Assert.Equal(bytes, await File.ReadAllBytesAsync(segment));

        // The operator's look at it says the same and changes nothing either.
        var (inspectCode, inspection) = await sequencer.RunToExitAsync(TimeSpan.FromSeconds(120), "--recover-wal");
        Assert.Equal(65, inspectCode);
        Assert.Contains("DAMAGED: " + segment, inspection);
        Assert.Contains("nothing was changed", inspection);
        Assert.Equal(bytes, await File.ReadAllBytesAsync(segment));

        // Without --recover-wal --cut nothing was lost: with the byte restored, every confirmation is served as sent.
        bytes[middle] = original;
        await File.WriteAllBytesAsync(segment, bytes);
        await sequencer.RestartAsync();
        await ledger.AssertAllIntactAsync(sequencer.RpcUrl);
        await ledger.SendAsync(sequencer.RpcUrl, seed: 8_100, wallets: 1, perWallet: 1);
        await ledger.AssertAllIntactAsync(sequencer.RpcUrl);
    }
}
