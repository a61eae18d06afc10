using Sequencer.Sequencing;
using Sequencer.Hosting;
using Sequencer.Tests.Infrastructure;

namespace Sequencer.Tests.Hosting;

/// <summary>One data directory, one sequencer: a second host on it is refused before it reads or writes anything.</summary>
public sealed class DataDirectoryLockTests : IAsyncLifetime
{
    private readonly SequencerHostFixture _host = new();

    public Task InitializeAsync() => _host.InitializeAsync();

    public Task DisposeAsync() => _host.DisposeAsync();

    [Fact]
    public async Task ASecondHostOnARunningHostsDataDirectory_IsRefused_NamingTheDirectoryAndTheHolder()
    {
        var wallet = _host.NewWallet(700);
        var before = await _host.Rpc.ResultAsync("sequencer_sendRawTransaction", wallet.Sign1559(wallet.TakeNonce()));

        var refused = Assert.Throws<DataDirectoryInUseException>(() => SequencerApp.Build(
        [
            "--Urls=http://127.0.0.1:0",
            $"--Sequencer:DataDirectory={_host.DataDirectory}",
            $"--Sequencer:PrivateKey={SequencerHostFixture.SequencerPrivateKey}",
        ]));

        Assert.Contains($"data directory {Path.GetFullPath(_host.DataDirectory)} is in use", refused.Message);
        Assert.Contains($"pid {Environment.ProcessId}", refused.Message);
        var after = await _host.Rpc.ResultAsync("sequencer_sendRawTransaction", wallet.Sign1559(wallet.TakeNonce()));
        Assert.Equal(1UL, TestInfrastructure.Ethereum.SoftConfirmationVerifier.Quantity(after, "sequence"));
        var stored = await _host.Rpc.ResultAsync("sequencer_getSoftConfirmation", before.GetProperty("txHash").GetString());
        Assert.Equal(before.GetRawText(), stored.GetRawText());
    }

    [Fact]
    public void TheLock_IsHeldUntilDisposed()
    {
        var directory = Path.Combine(Path.GetTempPath(), "lock-unit-" + Guid.NewGuid().ToString("N"));
        try
        {
            using (var held = DataDirectoryLock.Acquire(directory))
            {
                Assert.Throws<DataDirectoryInUseException>(() => DataDirectoryLock.Acquire(directory));
            }

            using var again = DataDirectoryLock.Acquire(directory);
            Assert.Equal(Path.GetFullPath(directory), again.Directory);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
