using System.Text.Json;
using Sequencer.Tests.Infrastructure;
using TestInfrastructure;
using TestInfrastructure.Ethereum;

namespace Sequencer.Tests.Rpc;

/// <summary>The rest of the standard methods geth and anvil users call (issue 14 item 4), without an execution node.</summary>
public sealed class StandardSurfaceTests(SequencerHostFixture host) : IClassFixture<SequencerHostFixture>
{
    [Fact]
    public async Task Node_status_methods_answer_as_a_node_that_is_the_source_of_its_chain()
    {
        Assert.False((await host.Rpc.ResultAsync("eth_syncing")).GetBoolean());
        Assert.True((await host.Rpc.ResultAsync("net_listening")).GetBoolean());
        Assert.Equal("0x0", (await host.Rpc.ResultAsync("net_peerCount")).GetString());
        Assert.Equal(0, (await host.Rpc.ResultAsync("eth_accounts")).GetArrayLength());
    }

    [Fact]
    public async Task A_block_is_read_by_position_by_number_and_by_hash_with_its_receipts()
    {
        var wallet = host.NewWallet(14_201);
        var first = await host.Rpc.ResultAsync("sequencer_sendRawTransaction", wallet.Sign1559(0, value: 11));
        var second = await host.Rpc.ResultAsync("sequencer_sendRawTransaction", wallet.Sign1559(1, value: 12));
        var number = second.GetProperty("blockNumber").GetString()!;
        var block = await Eventually.UntilAsync(() => host.Rpc.ResultAsync("eth_getBlockByNumber", number, false), b => b.ValueKind == JsonValueKind.Object, TimeSpan.FromSeconds(10));
        var hash = block.GetProperty("hash").GetString()!;
        var hashes = block.GetProperty("transactions").EnumerateArray().Select(t => t.GetString()).ToArray();
        var count = "0x" + hashes.Length.ToString("x");
        var index = second.GetProperty("index").GetString()!;

        Assert.Equal(count, (await host.Rpc.ResultAsync("eth_getBlockTransactionCountByNumber", number)).GetString());
        Assert.Equal(count, (await host.Rpc.ResultAsync("eth_getBlockTransactionCountByHash", hash)).GetString());
        var byNumber = await host.Rpc.ResultAsync("eth_getTransactionByBlockNumberAndIndex", number, index);
        var byHash = await host.Rpc.ResultAsync("eth_getTransactionByBlockHashAndIndex", hash, index);
        Assert.Equal(second.GetProperty("txHash").GetString(), byNumber.GetProperty("hash").GetString());
        Assert.Equal(byNumber.GetRawText(), byHash.GetRawText());
        Assert.Equal("0xc", byHash.GetProperty("value").GetString());
        Assert.Equal(JsonValueKind.Null, (await host.Rpc.ResultAsync("eth_getTransactionByBlockHashAndIndex", hash, count)).ValueKind);
        Assert.Equal(JsonValueKind.Null, (await host.Rpc.ResultAsync("eth_getBlockTransactionCountByNumber", "0xffffff")).ValueKind);

        var receipts = await host.Rpc.ResultAsync("eth_getBlockReceipts", number);
        Assert.Equal(hashes, receipts.EnumerateArray().Select(r => r.GetProperty("transactionHash").GetString()));
        Assert.All(receipts.EnumerateArray(), r => Assert.Equal(hash, r.GetProperty("blockHash").GetString()));
        Assert.Equal(receipts.GetRawText(), (await host.Rpc.ResultAsync("eth_getBlockReceipts", hash)).GetRawText());
        Assert.Contains(first.GetProperty("txHash").GetString(), (await host.Rpc.ResultAsync("eth_getBlockReceipts", first.GetProperty("blockNumber").GetString()!))
            .EnumerateArray().Select(r => r.GetProperty("transactionHash").GetString()));
    }

    [Theory]
    [InlineData("eth_getTransactionByBlockNumberAndIndex", "[\"latest\",7]", "transaction index must be a hex quantity")]
    [InlineData("eth_getBlockTransactionCountByHash", "[\"0x12\"]", "block hash must be a 32-byte hex hash")]
    [InlineData("eth_getBlockReceipts", "[\"soon\"]", "or a 32-byte block hash")]
    [InlineData("eth_accounts", "[1]", "expected at most 0 parameters")]
    public async Task Bad_position_reads_get_specific_errors(string method, string parameters, string message)
    {
        var (_, body) = await host.Rpc.PostAsync($"{{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"{method}\",\"params\":{parameters}}}");

        var error = JsonDocument.Parse(body).RootElement.GetProperty("error");
        Assert.Equal(-32602, error.GetProperty("code").GetInt32());
        Assert.Contains(message, error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_WebSocket_connects_on_the_root_path_as_on_ws()
    {
        using var socket = await RpcWebSocket.ConnectAsync(new Uri(host.WebSocketUrl, "/"));

        var reply = await socket.CallAsync(1, "eth_chainId");

        Assert.Equal("0x" + SequencerHostFixture.ChainId.ToString("x"), reply.GetProperty("result").GetString());
    }
}
