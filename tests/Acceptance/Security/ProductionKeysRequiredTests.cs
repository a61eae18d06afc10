using TestInfrastructure.Sequencer;

namespace Acceptance.Security;

/// <summary>
/// Keys are generated only in Development. Anywhere else a host without a configured sequencer key or
/// master secret refuses to start with a message naming the missing setting, and writes no key.
/// </summary>
public sealed class ProductionKeysRequiredTests
{
    [Theory]
    [InlineData("Sequencer:KeyFile", "sequencer.key")]
    [InlineData("Admission:MasterSecretFile", "admission-master-secret")]
    public async Task ProductionWithoutAKey_ExitsNamingTheSetting_AndGeneratesNothing(string missing, string devFile)
    {
        await using var sequencer = await SequencerProcess.LaunchAsync("Production", testKeys: false, TheOtherKey(missing));
        var exited = await sequencer.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.True(exited, $"a Production host without {missing} must not start");
        Assert.NotEqual(0, sequencer.ExitCode);
        Assert.Contains(missing, sequencer.RecentOutput, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(sequencer.DataDirectory, devFile)), $"{devFile} was generated outside Development");
    }

    [Theory]
    [InlineData("Sequencer:GenerateDevKey")]
    [InlineData("Admission:GenerateDevMasterSecret")]
    public async Task ProductionAskedToGenerate_ExitsNamingTheSetting(string setting)
    {
        await using var sequencer = await SequencerProcess.LaunchAsync("Production", testKeys: false, [.. TheOtherKey(setting), $"--{setting}=true"]);
        var exited = await sequencer.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.True(exited, $"{setting}=true must not make a Production host generate keys");
        Assert.NotEqual(0, sequencer.ExitCode);
        Assert.Contains(setting, sequencer.RecentOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Development_GeneratesBothKeys_AndStarts()
    {
        await using var sequencer = await SequencerProcess.LaunchAsync("Development", testKeys: false);

        Assert.True(sequencer.IsRunning, "a Development host generates its keys and starts:\n" + sequencer.RecentOutput);
        Assert.True(File.Exists(Path.Combine(sequencer.DataDirectory, "sequencer.key")));
        Assert.True(File.Exists(Path.Combine(sequencer.DataDirectory, "admission-master-secret")));
    }

    // The key that is not under test is configured, so only one setting can be named.
    private static string[] TheOtherKey(string setting) => setting.StartsWith("Sequencer", StringComparison.Ordinal)
        ? [$"--Admission:MasterSecret={SequencerProcess.TestMasterSecret}"]
        : [$"--Sequencer:PrivateKey={SequencerProcess.TestPrivateKey}"];
}
