using Microsoft.Extensions.Options;
using Sequencer.Hosting;
using Sequencer.Tests.Infrastructure;

namespace Sequencer.Tests.Execution;

public sealed class ExecutionOptionsTests
{
    [Theory]
    [InlineData(new[] { "--Sequencer:Execution:Kind=anvil" }, "RpcUrl")]
    [InlineData(new[] { "--Sequencer:Execution:Kind=engine", "--Sequencer:Execution:RpcUrl=http://127.0.0.1:1" }, "EngineUrl")]
    [InlineData(new[] { "--Sequencer:Execution:Kind=engine", "--Sequencer:Execution:RpcUrl=http://127.0.0.1:1", "--Sequencer:Execution:EngineUrl=http://127.0.0.1:2" }, "JwtSecretFile")]
    [InlineData(new[] { "--Sequencer:Execution:Kind=anvil", "--Sequencer:Execution:RpcUrl=http://127.0.0.1:1", "--Sequencer:Execution:MaxConnections=0" }, "MaxConnections")]
    public async Task Host_refuses_an_incomplete_execution_setting_and_names_it(string[] settings, string name)
    {
        var data = Path.Combine(Path.GetTempPath(), "seq-exec-opt-" + Guid.NewGuid().ToString("N"));
        var error = await Assert.ThrowsAsync<OptionsValidationException>(async () =>
        {
            await using var app = SequencerApp.Build(["--Urls=http://127.0.0.1:0", $"--Sequencer:DataDirectory={data}", .. SequencerHostFixture.KeySettings, "--Logging:LogLevel:Default=None", .. settings]);
            await app.StartAsync();
        });

        Assert.Contains(name, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_execution_kind_is_refused_by_name()
    {
        // A configuration mistake (exit 2 with this line), not a fault of the program.
        var error = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => SequencerApp.Build(["--Sequencer:Execution:Kind=geth"]));

        Assert.Contains("none, anvil, engine or auto", error.Message, StringComparison.Ordinal);
    }
}
