using System.Text.Json;
using Sequencer.Tests.Infrastructure;
using TestInfrastructure;

namespace Sequencer.Tests.Rpc;

/// <summary>
/// The fee and gas methods answered by the sequencer itself with no execution node (issue 14 item 1), and the
/// inclusion receipt that lets clients that wait for one finish.
/// </summary>
public sealed class FeeMethodTests(SequencerHostFixture host) : IClassFixture<SequencerHostFixture>
{
    private const string MinFee = "0xf4240";

    [Fact]
    public async Task Gas_price_is_the_minimum_fee_and_no_tip_is_suggested()
    {
        Assert.Equal(MinFee, (await host.Rpc.ResultAsync("eth_gasPrice")).GetString());
        Assert.Equal("0x0", (await host.Rpc.ResultAsync("eth_maxPriorityFeePerGas")).GetString());
    }

    [Fact]
    public async Task Fee_history_reports_base_fee_gas_ratio_and_the_tips_paid_in_a_block()
    {
        var wallet = host.NewWallet(14_101);
        // Tips of 5 and 9 wei above the minimum fee (max fee caps the first at 1_000_005).
        var first = await host.Rpc.ResultAsync("sequencer_sendRawTransaction", wallet.Sign1559(0, maxFeePerGas: 1_000_005, maxPriorityFeePerGas: 7));
        await host.Rpc.ResultAsync("sequencer_sendRawTransaction", wallet.Sign1559(1, maxFeePerGas: 2_000_000, maxPriorityFeePerGas: 9));
        var blockHex = first.GetProperty("blockNumber").GetString()!;
        await Eventually.UntilAsync(async () => (await host.Rpc.ResultAsync("eth_getBlockByNumber", blockHex, false)).ValueKind == JsonValueKind.Object,
            TimeSpan.FromSeconds(10), "block published");
        var block = await host.Rpc.ResultAsync("eth_getBlockByNumber", blockHex, false);
        var count = block.GetProperty("transactions").GetArrayLength();

        var history = await host.Rpc.ResultAsync("eth_feeHistory", "0x1", blockHex, new[] { 0.0, 100.0 });

        Assert.Equal(blockHex, history.GetProperty("oldestBlock").GetString());
        Assert.Equal([MinFee, MinFee], history.GetProperty("baseFeePerGas").EnumerateArray().Select(f => f.GetString()));
        Assert.Equal(21_000.0 * count / 30_000_000, history.GetProperty("gasUsedRatio")[0].GetDouble(), 9);
        var rewards = history.GetProperty("reward")[0].EnumerateArray().Select(r => r.GetString()).ToArray();
        Assert.Equal(count == 2 ? ["0x5", "0x9"] : new[] { "0x5", "0x5" }, rewards);
    }

    [Theory]
    [InlineData("[\"0x2\",\"latest\",[50,10]]", -32602, "must be ascending")]
    [InlineData("[\"0x2\",\"latest\",[101]]", -32602, "invalid reward percentile")]
    [InlineData("[\"0x2\",\"0xffffff\"]", -32000, "request beyond head block: requested 16777215")]
    [InlineData("[{},\"latest\"]", -32602, "block count must be a number or hex quantity")]
    [InlineData("[{\"to\":\"0x000000000000000000000000000000000000dEaD\",\"data\":\"0xa9059cbb\"}]", -32000, "set Sequencer:Execution:Kind")]
    [InlineData("[{\"data\":\"0x6000\"}]", -32000, "needs an execution node for a contract call or deployment")]
    [InlineData("[{\"to\":\"0x1234\"}]", -32602, "to must be a 20-byte hex address")]
    public async Task Bad_fee_and_estimate_requests_get_specific_errors(string parameters, int code, string message)
    {
        var method = parameters.Contains("latest", StringComparison.Ordinal) || parameters.Contains("0xffffff", StringComparison.Ordinal) ? "eth_feeHistory" : "eth_estimateGas";
        var (_, body) = await host.Rpc.PostAsync($"{{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"{method}\",\"params\":{parameters}}}");

        var error = JsonDocument.Parse(body).RootElement.GetProperty("error");
        Assert.Equal(code, error.GetProperty("code").GetInt32());
        Assert.Contains(message, error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Estimate_of_a_plain_transfer_is_its_intrinsic_gas()
    {
        var plain = await host.Rpc.ResultAsync("eth_estimateGas", new { from = host.NewWallet(1).Address, to = "0x000000000000000000000000000000000000dEaD", value = "0x1" });
        var withAccessList = await host.Rpc.ResultAsync("eth_estimateGas", new
        {
            to = "0x000000000000000000000000000000000000dEaD",
            input = "0x",
            accessList = new[] { new { address = "0x000000000000000000000000000000000000dEaD", storageKeys = new[] { "0x" + new string('0', 64) } } },
        });

        Assert.Equal("0x5208", plain.GetString());
        Assert.Equal("0x" + (21_000 + 2_400 + 1_900).ToString("x"), withAccessList.GetString());
    }

    [Fact]
    public async Task Receipt_without_an_execution_node_says_where_the_transaction_is_and_states_no_outcome()
    {
        var wallet = host.NewWallet(14_102);
        var confirmation = await host.Rpc.ResultAsync("sequencer_sendRawTransaction", wallet.Sign1559(0, to: null!, gas: 100_000, data: "0x6000"));
        var hash = confirmation.GetProperty("txHash").GetString()!;

        var receipt = await Eventually.UntilAsync(() => host.Rpc.ResultAsync("eth_getTransactionReceipt", hash), r => r.ValueKind == JsonValueKind.Object, TimeSpan.FromSeconds(10));

        Assert.Equal(confirmation.GetProperty("blockNumber").GetString(), receipt.GetProperty("blockNumber").GetString());
        Assert.Equal(confirmation.GetProperty("index").GetString(), receipt.GetProperty("transactionIndex").GetString());
        Assert.False(receipt.TryGetProperty("status", out _));
        Assert.Equal("0x" + new string('0', 64), receipt.GetProperty("root").GetString());
        // CREATE address of the sender's nonce 0, as Nethereum computes it.
        Assert.Equal(Nethereum.Util.ContractUtils.CalculateContractAddress(wallet.Address, 0).ToLowerInvariant(), receipt.GetProperty("contractAddress").GetString());
        var block = await host.Rpc.ResultAsync("eth_getBlockByHash", receipt.GetProperty("blockHash").GetString()!, false);
        Assert.Contains(hash, block.GetProperty("transactions").EnumerateArray().Select(t => t.GetString()));
    }
}
