using System.Security.Cryptography;
using System.Text.Json;
using TestInfrastructure.Anvil;
using TestInfrastructure.Ethereum;
using TestInfrastructure.Sequencer;

namespace Acceptance.Security;

/// <summary>
/// A malformed key (here: the key wrapped in quotes, a common copy-paste slip) stops the start with a
/// message naming the setting, and its bytes appear nowhere: not in sequencer_getStatus, not in any log
/// line, not in the exit message. Each case uses a fresh random key, so finding it anywhere is a leak.
/// </summary>
public sealed class KeyMaterialNeverEchoedTests : IAsyncLifetime
{
    private readonly string _key = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
    private readonly string _directory = Directory.CreateTempSubdirectory("key-leak-").FullName;
    private AnvilNode? _anvil;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_anvil is not null)
        {
            await _anvil.DisposeAsync();
        }

        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task QuotedL1PosterKeyFile_StopsTheStart_NamingTheSetting_AndTheKeyIsNowhere()
    {
        // A reachable L1, so that nothing but the key can stop the batcher.
        _anvil = await AnvilNode.StartAsync();
        var keyFile = await WriteQuotedKeyFileAsync("batcher-l1.key");

        await using var sequencer = await SequencerProcess.LaunchAsync(
            "Production",
            testKeys: true,
            "--Batcher:L1:Enabled=true",
            $"--Batcher:L1:RpcUrl={_anvil.RpcUrl}",
            "--Batcher:L1:InboxAddress=0x00000000000000000000000000000000000000aa",
            $"--Batcher:L1:KeyFile={keyFile}");

        if (sequencer.IsRunning)
        {
            // Started anyway: whatever the batcher made of the key, the public status must not show it.
            var status = await BatcherStatusOnceSettledAsync(sequencer);
            AssertNoKeyMaterial(status, "sequencer_getStatus");
        }

        var exited = await sequencer.WaitForExitAsync(TimeSpan.FromSeconds(30));
        AssertNoKeyMaterial(sequencer.RecentOutput, "the log");
        Assert.True(exited, "a host with a malformed L1 key must not start");
        Assert.NotEqual(0, sequencer.ExitCode);
        Assert.Contains("Batcher:L1:KeyFile", sequencer.RecentOutput, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Sequencer:PrivateKey")]
    [InlineData("Sequencer:KeyFile")]
    [InlineData("Admission:MasterSecret")]
    [InlineData("Admission:MasterSecretFile")]
    [InlineData("Sequencer:Da:Disperser:AccountKey")]
    [InlineData("Sequencer:Da:Disperser:AccountKeyFile")]
    [InlineData("Batcher:L1:PrivateKey")]
    public async Task QuotedKey_StopsTheStart_NamingTheSetting_AndTheKeyIsNowhere(string setting)
    {
        string value = setting.EndsWith("File", StringComparison.Ordinal) ? await WriteQuotedKeyFileAsync("quoted.key") : $"\"0x{_key}\"";
        string[] settings = setting switch
        {
            "Sequencer:Da:Disperser:AccountKey" or "Sequencer:Da:Disperser:AccountKeyFile" =>
                ["--Sequencer:Da:Kind=Disperser", "--Sequencer:Da:Disperser:ReservedBytesPerSecond=100000", $"--{setting}={value}"],
            // No L1 behind this address: only a check at start can find the key malformed.
            "Batcher:L1:PrivateKey" =>
            [
                "--Batcher:L1:Enabled=true", "--Batcher:L1:RpcUrl=http://127.0.0.1:9", "--Batcher:L1:InboxAddress=0x00000000000000000000000000000000000000aa",
                $"--{setting}={value}",
            ],
            _ => [$"--{setting}={value}"],
        };

        // The test keys come first; the setting under test overrides its own one.
        await using var sequencer = await SequencerProcess.LaunchAsync("Production", testKeys: true, settings);
        var exited = await sequencer.WaitForExitAsync(TimeSpan.FromSeconds(30));

        AssertNoKeyMaterial(sequencer.RecentOutput, "the log and exit message");
        Assert.True(exited, $"a host with a malformed {setting} must not start");
        Assert.NotEqual(0, sequencer.ExitCode);
        Assert.Contains(setting, sequencer.RecentOutput, StringComparison.Ordinal);
    }

    private async Task<string> WriteQuotedKeyFileAsync(string name)
    {
        var path = Path.Combine(_directory, name);
        await File.WriteAllTextAsync(path, $"\"0x{_key}\"\n");
        return path;
    }

    // The batcher's status once it has tried to start (faulted, or an error recorded), or after 30 s.
    private static async Task<string> BatcherStatusOnceSettledAsync(SequencerProcess sequencer)
    {
        using var rpc = new RpcTestClient(sequencer.RpcUrl);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var status = await rpc.ResultAsync("sequencer_getStatus");
            var batcher = status.GetProperty("batcher");
            var settled = batcher.GetProperty("state").GetString() == "faulted"
                || batcher.TryGetProperty("lastError", out var error) && error.ValueKind == JsonValueKind.String;
            if (settled || DateTime.UtcNow > deadline)
            {
                return status.GetRawText();
            }

            await Task.Delay(200);
        }
    }

    // Any 16 consecutive hex digits of the key count as a leak (a message may cut the key short).
    private void AssertNoKeyMaterial(string text, string where)
    {
        for (var i = 0; i + 16 <= _key.Length; i += 8)
        {
            Assert.False(
                text.Contains(_key.AsSpan(i, 16), StringComparison.OrdinalIgnoreCase),
                $"{where} contains key material");
        }
    }
}
