using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Primitives.Chain;
using Sequencer.Execution;
using Sequencer.Tests.Infrastructure;
using TestInfrastructure.Anvil;
using TestInfrastructure.Ethereum;

namespace Sequencer.Tests.Execution;

/// <summary>A node that holds something other than the sealed blocks is a loud, final error.</summary>
public sealed class ExecutionDivergenceTests
{
    [Fact]
    public async Task A_mined_block_with_other_transactions_than_the_sealed_block_is_a_divergence()
    {
        await using var anvil = await AnvilNode.StartAsync(SequencerHostFixture.ChainId, ExecutionStack.AnvilArguments);
        var wallet = new TestWallet(AnvilNode.DevKey0, SequencerHostFixture.ChainId);
        await AnvilRpc.CallAsync(anvil.RpcUrl, "eth_sendRawTransaction", wallet.Sign1559(0));
        await AnvilRpc.CallAsync(anvil.RpcUrl, "evm_mine");
        using var client = new ExecutionNodeClient(new Uri(anvil.RpcUrl), 2, TimeSpan.FromSeconds(5));
        var backend = new AnvilExecutionBackend(client, 0, NullLogger<AnvilExecutionBackend>.Instance);
        var other = Convert.FromHexString(wallet.Sign1559(0, value: 2)[2..]);
        var sealedBlock = new SealedBlock(1, 1, new byte[32], new byte[32], 0, new byte[32], [other]);

        var error = await Assert.ThrowsAsync<ExecutionDivergedException>(() => backend.ExecuteAsync(sealedBlock, CancellationToken.None));

        Assert.Contains("does not match sequencer block 1", error.Message);
    }

    [Fact]
    public async Task A_node_ahead_of_the_sequencer_stops_execution_and_makes_the_host_unready()
    {
        await using var anvil = await AnvilNode.StartAsync(SequencerHostFixture.ChainId, ExecutionStack.AnvilArguments);
        await AnvilRpc.CallAsync(anvil.RpcUrl, "evm_mine");
        var host = new ExecutionHost();
        host.Extra.AddRange(["--Sequencer:Execution:Kind=anvil", $"--Sequencer:Execution:RpcUrl={anvil.RpcUrl}"]);
        await host.InitializeAsync();
        try
        {
            var follower = host.App.Services.GetRequiredService<ExecutionFollower>();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            await Assert.ThrowsAsync<ExecutionDivergedException>(async () => await follower.WaitForExecutedAsync(1, timeout.Token));
            Assert.Contains("another chain", follower.Failure);

            using var http = new HttpClient();
            using var ready = await http.GetAsync(new Uri(host.RpcUrl, "/health/ready"));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        }
        finally
        {
            await host.DisposeAsync();
        }
    }
}
