using System.Text.Json;
using Acceptance.Clients;
using TestInfrastructure.Anvil;
using TestInfrastructure.Ethereum;
using TestInfrastructure.Sequencer;

namespace Acceptance.Execution;

/// <summary>
/// The built sequencer as a process with anvil as its execution node: cast waits for receipts, the
/// execution node and the sequencer each die and come back, and every sealed block ends up on the node
/// exactly once, in order.
/// </summary>
public sealed class ExecutionAcceptanceTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Cast_gets_receipts_while_the_execution_node_and_the_sequencer_are_killed_and_restarted()
    {
        await using var anvil = await AnvilNode.StartAsync(SequencerProcess.ChainId, "--no-mining", "--order", "fifo", "--base-fee", "0", "--gas-limit", "60000000");
        await using var sequencer = await SequencerProcess.StartAsync(
            "--Logging:LogLevel:Default=Warning",
            "--Sequencer:BlockTimeMs=50",
            "--Sequencer:Execution:Kind=anvil",
            $"--Sequencer:Execution:RpcUrl={anvil.RpcUrl}",
            "--Sequencer:Execution:RetryDelayMs=100");
        var rpcUrl = sequencer.RpcUrl.ToString();
        using var rpc = new RpcTestClient(sequencer.RpcUrl);

        var sent = await CastTool.RunAsync(Timeout, "send", "--rpc-url", rpcUrl, "--private-key", AnvilNode.DevKey0, TestWallet.DeadAddress, "--value", "1000", "--json");
        Assert.Equal("0x1", JsonDocument.Parse(sent).RootElement.GetProperty("status").GetString());
        Assert.Equal("1000", await CastTool.RunAsync(Timeout, "balance", TestWallet.DeadAddress, "--rpc-url", rpcUrl));

        // The execution node dies: the sequencer still confirms and still answers fees (its own); reads of state
        // need the node, and say so; the receipt comes once the node is back.
        anvil.Kill();
        var fees = await rpc.ResultAsync("eth_feeHistory", "0x1", "latest", Array.Empty<int>());
        Assert.Equal(2, fees.GetProperty("baseFeePerGas").GetArrayLength());
        var balance = await rpc.CallAsync("eth_getBalance", TestWallet.DeadAddress, "latest");
        Assert.Equal(-32603, balance.ErrorCode);
        Assert.StartsWith("execution node unavailable", balance.ErrorMessage);
        var raw = new TestWallet(AnvilNode.DevKey0, SequencerProcess.ChainId).Sign1559(1, value: 1);
        var whileDown = await CastTool.RunAsync(Timeout, "publish", "--async", "--rpc-url", rpcUrl, raw);
        Assert.Matches("^0x[0-9a-f]{64}$", whileDown);
        await anvil.RestartAsync();
        var receipt = await CastTool.RunAsync(Timeout, "receipt", whileDown, "status", "--rpc-url", rpcUrl);
        Assert.Equal("true", receipt);

        // The sequencer dies: on restart it learns where execution stands from the node and goes on.
        await sequencer.KillAsync();
        await sequencer.RestartAsync();
        var afterRestart = await CastTool.RunAsync(Timeout, "send", "--rpc-url", rpcUrl, "--private-key", AnvilNode.DevKey0, TestWallet.DeadAddress, "--value", "1", "--json");
        Assert.Equal("0x1", JsonDocument.Parse(afterRestart).RootElement.GetProperty("status").GetString());

        // Plain `cast publish` (no --async) waits for the receipt, which the execution node now gives.
        var published = await CastTool.RunAsync(Timeout, "publish", "--rpc-url", rpcUrl, new TestWallet(AnvilNode.DevKey0, SequencerProcess.ChainId).Sign1559(3, value: 2));
        Assert.Equal("0x1", JsonDocument.Parse(published).RootElement.GetProperty("status").GetString());

        var latest = Convert.ToUInt64((await rpc.ResultAsync("eth_blockNumber")).GetString(), 16);
        using var node = new RpcTestClient(new Uri(anvil.RpcUrl));
        Assert.Equal(latest, Convert.ToUInt64((await node.ResultAsync("eth_blockNumber")).GetString(), 16));
        for (ulong n = 1; n <= latest; n++)
        {
            var tag = "0x" + n.ToString("x");
            Assert.Equal(Hashes(await rpc.ResultAsync("eth_getBlockByNumber", tag, false)), Hashes(await node.ResultAsync("eth_getBlockByNumber", tag, false)));
        }
    }

    private static string[] Hashes(JsonElement block) =>
        block.GetProperty("transactions").EnumerateArray().Select(t => t.GetString()!.ToLowerInvariant()).ToArray();
}
