using Microsoft.Extensions.DependencyInjection;
using Sequencer.Execution;
using Sequencer.Tests.Infrastructure;
using TestInfrastructure.Anvil;

namespace Sequencer.Tests.Execution;

/// <summary>
/// A real anvil (automine off, FIFO, base fee 0, gas limit twice the sequencer's so the base fee never
/// rises) as the execution node of an in-process sequencer with the same chain id.
/// </summary>
public class ExecutionStack : IAsyncLifetime
{
    public static readonly string[] AnvilArguments = ["--no-mining", "--order", "fifo", "--base-fee", "0", "--gas-limit", "60000000"];

    public AnvilNode Anvil { get; private set; } = null!;

    public ExecutionHost Host { get; } = new();

    internal ExecutionFollower Follower => Host.App.Services.GetRequiredService<ExecutionFollower>();

    protected virtual IEnumerable<string> MoreSettings => [];

    public async Task InitializeAsync()
    {
        Anvil = await AnvilNode.StartAsync(SequencerHostFixture.ChainId, AnvilArguments);
        Host.Extra.AddRange(
        [
            "--Sequencer:BlockTimeMs=50",
            "--Sequencer:Execution:Kind=anvil",
            $"--Sequencer:Execution:RpcUrl={Anvil.RpcUrl}",
            "--Sequencer:Execution:RetryDelayMs=100",
            "--Sequencer:Execution:RequestTimeoutMs=3000",
            "--Sequencer:Execution:SyncTimeoutMs=5000",
            "--Sequencer:Execution:ReceiptWaitMs=500",
        ]);
        Host.Extra.AddRange(MoreSettings);
        await Host.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        await Anvil.DisposeAsync();
    }

    /// <summary>Waits (bounded) until the follower has executed block <paramref name="number"/>.</summary>
    public async Task WaitUntilExecutedAsync(ulong number, TimeSpan? limit = null)
    {
        using var timeout = new CancellationTokenSource(limit ?? TimeSpan.FromSeconds(30));
        await Follower.WaitForExecutedAsync(number, timeout.Token);
    }

    public async Task<ulong> LatestSequencerBlockAsync() =>
        Convert.ToUInt64((await Host.Rpc.ResultAsync("eth_blockNumber")).GetString(), 16);
}

/// <summary>The in-process sequencer host with settings added by the stack.</summary>
public sealed class ExecutionHost : SequencerHostFixture
{
    public List<string> Extra { get; } = [];

    /// <summary>Registrations applied after the host's own (e.g. a test identity authenticator).</summary>
    public List<Action<IServiceCollection>> ServiceChanges { get; } = [];

    protected override IEnumerable<string> Settings => Extra;

    protected override void ConfigureServices(IServiceCollection services)
    {
        foreach (var change in ServiceChanges)
        {
            change(services);
        }
    }
}
