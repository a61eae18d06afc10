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
