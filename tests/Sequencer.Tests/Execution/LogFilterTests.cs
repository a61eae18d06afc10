using System.Text.Json;
using TestInfrastructure;
using TestInfrastructure.Anvil;
using TestInfrastructure.Ethereum;

namespace Sequencer.Tests.Execution;

/// <summary>A log filter with anvil executing (issue 14 item 4): eth_getFilterChanges reports a contract's new events once.</summary>
public sealed class LogFilterTests(ExecutionStack stack) : IClassFixture<ExecutionStack>
{
    private RpcTestClient Rpc => stack.Host.Rpc;

    [Fact]
    public async Task A_log_filter_reports_new_transfer_events_once_and_all_of_them_on_request()
    {
        var wallet = new TestWallet(AnvilNode.DevKey1, stack.Host.NewWallet(0).ChainId);
        var deploy = await Rpc.ResultAsync("sequencer_sendRawTransaction",
            wallet.Sign1559(wallet.TakeNonce(), to: null!, value: 0, gas: 1_500_000, data: await TestTokenContract.DeploymentDataAsync(1_000_000)));
        await stack.WaitUntilExecutedAsync(ulong.Parse(deploy.GetProperty("blockNumber").GetString()![2..], System.Globalization.NumberStyles.HexNumber));
        var token = (await Rpc.ResultAsync("eth_getTransactionReceipt", deploy.GetProperty("txHash").GetString())).GetProperty("contractAddress").GetString()!;
        var filter = (await Rpc.ResultAsync("eth_newFilter", new Dictionary<string, object> { ["address"] = token, ["topics"] = new[] { TestTokenContract.TransferTopic } })).GetString()!;

        var transfer = await Rpc.ResultAsync("sequencer_sendRawTransaction",
            wallet.Sign1559(wallet.TakeNonce(), to: token, value: 0, gas: 100_000, data: TestTokenContract.TransferData(TestWallet.DeadAddress, 77)));
        await stack.WaitUntilExecutedAsync(ulong.Parse(transfer.GetProperty("blockNumber").GetString()![2..], System.Globalization.NumberStyles.HexNumber));
        var changes = await Eventually.UntilAsync(() => Rpc.ResultAsync("eth_getFilterChanges", filter), c => c.GetArrayLength() > 0, TimeSpan.FromSeconds(30));

        var log = Assert.Single(changes.EnumerateArray());
        Assert.Equal(transfer.GetProperty("txHash").GetString(), log.GetProperty("transactionHash").GetString());
        Assert.EndsWith(TestTokenContract.Word(77), log.GetProperty("data").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, (await Rpc.ResultAsync("eth_getFilterChanges", filter)).GetArrayLength());
        Assert.Contains(transfer.GetProperty("txHash").GetString(),
            (await Rpc.ResultAsync("eth_getFilterLogs", filter)).EnumerateArray().Select(l => l.GetProperty("transactionHash").GetString()));
    }
}
