using Microsoft.Extensions.Options;
using Sequencer.Hosting;
using Sequencer.Tests.Infrastructure;

namespace Sequencer.Tests.Hosting;

public sealed class OptionsValidationTests
{
    [Theory]
    [InlineData("--Sequencer:Rpc:MaxBatchSize=0", "MaxBatchSize")]
    [InlineData("--Sequencer:Transactions:MinFeePerGasWei=0", "MinFeePerGasWei")]
    [InlineData("--Sequencer:BlockTimeMs=0", "BlockTimeMs")]
    [InlineData("--Sequencer:Feed:SubscriberBuffer=0", "SubscriberBuffer")]
    [InlineData("--Sequencer:Rpc:MaxResponseBytes=100", "MaxResponseBytes")]
    [InlineData("--Sequencer:Rpc:WebSocketMaxQueuedBytes=4194304", "WebSocketMaxQueuedBytes (4194304) must be at least twice Sequencer:Rpc:MaxResponseBytes")]
    [InlineData("--Sequencer:Rpc:MaxWebSocketConnectionsPerAddress=5000", "MaxWebSocketConnectionsPerAddress (5000) must not exceed")]
    [InlineData("--Sequencer:Rpc:WebSocketIdleTimeoutMs=10", "WebSocketIdleTimeoutMs")]
    [InlineData("--Sequencer:History:MaxTransactions=10", "MaxTransactions")]
    [InlineData("--Sequencer:History:MaxBytes=1000", "MaxBytes")]
    [InlineData("--Sequencer:History:ChunkTransactions=150000", "ChunkTransactions (150000) must be at most half of Sequencer:History:MaxTransactions")]
    [InlineData("--Sequencer:Rpc:WebSocketAllowedOrigins:0=https://app.example/path", "WebSocketAllowedOrigins: \"https://app.example/path\" is not an origin")]
    // The identity section's nested annotations were never checked (ValidateDataAnnotations does not recurse).
    [InlineData("--Admission:Identity:Session:LifetimeMinutes=0", "LifetimeMinutes")]
    [InlineData("--Admission:Identity:DevProvider:TokenLifetimeMinutes=0", "TokenLifetimeMinutes")]
    [InlineData("--Sequencer:Console:SampleSeconds=0", "SampleSeconds")]
    [InlineData("--Sequencer:Console:SampleSeconds=61", "SampleSeconds")]
    public async Task Host_refuses_to_start_with_an_invalid_setting_and_names_it(string setting, string name)
    {
        var data = Path.Combine(Path.GetTempPath(), "seq-opt-" + Guid.NewGuid().ToString("N"));
        var error = await Assert.ThrowsAsync<OptionsValidationException>(async () =>
        {
            await using var app = SequencerApp.Build(["--Urls=http://127.0.0.1:0", $"--Sequencer:DataDirectory={data}", .. SequencerHostFixture.KeySettings, "--Logging:LogLevel:Default=None", setting]);
            await app.StartAsync();
        });

        Assert.Contains(name, error.Message, StringComparison.Ordinal);
    }
}
