using System.Text.Json;
using TestInfrastructure.Anvil;
using TestInfrastructure.Ethereum;

namespace Sequencer.Tests.Execution;

/// <summary>
/// The execution node goes away (gracefully, then killed and back from an older state) while the sequencer
/// keeps confirming; execution resumes from what the node actually holds, and in the end every sealed block
/// is on the node exactly once, in order.
/// </summary>
public sealed class ExecutionRestartTests(ExecutionStack stack) : IClassFixture<ExecutionStack>
{
    private RpcTestClient Rpc => stack.Host.Rpc;

    [Fact]
    public async Task Execution_catches_up_after_the_node_is_stopped_and_after_it_is_killed_without_skipping_or_repeating_a_block()
    {
        var wallet = new TestWallet(AnvilNode.DevKey0, Infrastructure.SequencerHostFixture.ChainId);
        var all = new List<JsonElement>();

        all.AddRange(await SendAsync(wallet, 5));
        await stack.WaitUntilExecutedAsync(LastBlock(all));

        // Graceful stop: anvil dumps its state. The sequencer keeps confirming; receipts wait for execution.
        await stack.Anvil.StopAsync();
        var whileStopped = await SendAsync(wallet, 5);
        all.AddRange(whileStopped);
        Assert.Equal(JsonValueKind.Null, (await Rpc.ResultAsync("eth_getTransactionReceipt", whileStopped[^1].GetProperty("txHash").GetString())).ValueKind);
        var stranger = await Rpc.CallAsync("eth_sendRawTransaction", stack.Host.NewWallet(9201).Sign1559(0));
        Assert.Equal(-32005, stranger.ErrorCode);
        Assert.Equal("execution_unavailable", stranger.Error!.Value.GetProperty("data").GetProperty("reason").GetString());
        var sync = await Rpc.CallAsync("eth_sendRawTransactionSync", wallet.Sign1559(wallet.TakeNonce()), 300);
        Assert.Equal(4, sync.ErrorCode);
        var syncHash = sync.Error!.Value.GetProperty("data").GetString()!;
        all.Add((await Rpc.ResultAsync("sequencer_getSoftConfirmation", syncHash)).Clone());

        await stack.Anvil.RestartAsync();
        all.AddRange(await SendAsync(wallet, 5));
        await stack.WaitUntilExecutedAsync(LastBlock(all));
        Assert.Equal("0x1", (await Rpc.ResultAsync("eth_getTransactionReceipt", syncHash)).GetProperty("status").GetString());

        // Kill: anvil loses everything since its last dump and comes back with an older head.
        stack.Anvil.Kill();
        all.AddRange(await SendAsync(wallet, 5));
        await stack.Anvil.RestartAsync();
        all.AddRange(await SendAsync(wallet, 3));
        await stack.WaitUntilExecutedAsync(LastBlock(all), TimeSpan.FromSeconds(60));
        Assert.True(stack.Follower.BlocksLostByNode > 0, "the kill should have cost the node the blocks executed since its last dump");

        var latest = await stack.LatestSequencerBlockAsync();
        Assert.Equal(latest, Convert.ToUInt64((await AnvilRpc.CallAsync(stack.Anvil.RpcUrl, "eth_blockNumber")).GetString(), 16));
        var onNode = new List<string>();
        for (ulong n = 1; n <= latest; n++)
        {
            var sealedBlock = await Rpc.ResultAsync("eth_getBlockByNumber", "0x" + n.ToString("x"), false);
            var sequenced = sealedBlock.GetProperty("transactions").EnumerateArray().Select(t => t.GetString()!.ToLowerInvariant()).ToArray();
            var executed = await AnvilRpc.BlockTransactionHashesAsync(stack.Anvil.RpcUrl, n);
            Assert.Equal(sequenced, executed);
            onNode.AddRange(executed);
        }

        var confirmedInOrder = all.OrderBy(c => Convert.ToUInt64(c.GetProperty("sequence").GetString(), 16))
            .Select(c => c.GetProperty("txHash").GetString()!.ToLowerInvariant());
        Assert.Equal(confirmedInOrder, onNode);
        foreach (var hash in onNode)
        {
            Assert.Equal("0x1", (await Rpc.ResultAsync("eth_getTransactionReceipt", hash)).GetProperty("status").GetString());
        }
    }

    private async Task<JsonElement[]> SendAsync(TestWallet wallet, int count)
    {
        var confirmations = new JsonElement[count];
        for (var i = 0; i < count; i++)
        {
            confirmations[i] = (await Rpc.ResultAsync("sequencer_sendRawTransaction", wallet.Sign1559(wallet.TakeNonce()))).Clone();
        }

        return confirmations;
    }

    private static ulong LastBlock(List<JsonElement> confirmations) =>
        confirmations.Max(c => Convert.ToUInt64(c.GetProperty("blockNumber").GetString(), 16));
}
