using System.Text.Json;
using Sequencer.Tests.Infrastructure;
using TestInfrastructure;

namespace Sequencer.Tests.Rpc;

/// <summary>Polling filters without an execution node (issue 14 item 4): blocks and confirmed transactions; logs say what is missing.</summary>
public sealed class FilterTests(SequencerHostFixture host) : IClassFixture<SequencerHostFixture>
{
    [Fact]
    public async Task Block_and_transaction_filters_report_each_change_once_and_can_be_uninstalled()
    {
        var blocks = (await host.Rpc.ResultAsync("eth_newBlockFilter")).GetString()!;
        var transactions = (await host.Rpc.ResultAsync("eth_newPendingTransactionFilter")).GetString()!;
        var wallet = host.NewWallet(14_301);
        var sent = await host.Rpc.ResultAsync("sequencer_sendRawTransaction", wallet.Sign1559(0));
        var number = sent.GetProperty("blockNumber").GetString()!;
        var block = await Eventually.UntilAsync(() => host.Rpc.ResultAsync("eth_getBlockByNumber", number, false), b => b.ValueKind == JsonValueKind.Object, TimeSpan.FromSeconds(10));

        var newBlocks = Hashes(await host.Rpc.ResultAsync("eth_getFilterChanges", blocks));
        var newTransactions = Hashes(await host.Rpc.ResultAsync("eth_getFilterChanges", transactions));

        Assert.Contains(block.GetProperty("hash").GetString(), newBlocks);
        Assert.Contains(sent.GetProperty("txHash").GetString(), newTransactions);
        Assert.DoesNotContain(sent.GetProperty("txHash").GetString(), Hashes(await host.Rpc.ResultAsync("eth_getFilterChanges", transactions)));
        Assert.DoesNotContain(block.GetProperty("hash").GetString(), Hashes(await host.Rpc.ResultAsync("eth_getFilterChanges", blocks)));
        Assert.True((await host.Rpc.ResultAsync("eth_uninstallFilter", blocks)).GetBoolean());
        Assert.False((await host.Rpc.ResultAsync("eth_uninstallFilter", blocks)).GetBoolean());
        var gone = await host.Rpc.CallAsync("eth_getFilterChanges", blocks);
        Assert.Equal(-32000, gone.ErrorCode);
        Assert.Equal("filter not found", gone.ErrorMessage);
    }

    [Fact]
    public async Task A_log_filter_without_an_execution_node_says_what_to_configure()
    {
        var refused = await host.Rpc.CallAsync("eth_newFilter", new { address = "0x000000000000000000000000000000000000dEaD" });

        Assert.Equal(-32000, refused.ErrorCode);
        Assert.Contains("set Sequencer:Execution:Kind", refused.ErrorMessage, StringComparison.Ordinal);
        Assert.Contains("must be an object", (await host.Rpc.CallAsync("eth_newFilter", "x")).ErrorMessage, StringComparison.Ordinal);
    }

    private static string?[] Hashes(JsonElement array) => array.EnumerateArray().Select(h => h.GetString()).ToArray();
}
