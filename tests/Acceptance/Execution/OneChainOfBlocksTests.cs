using System.Text.Json;
using Acceptance.Clients;
using TestInfrastructure.Anvil;
using TestInfrastructure.Ethereum;

namespace Acceptance.Execution;

/// <summary>
/// Issue 14, "one chain of blocks": with an execution node the blocks served by number and by hash, newHeads,
/// transactions and receipts name one hash per block, and a receipt's block can be looked up.
/// </summary>
[Collection(SequencerWithAnvilFixture.Collection)]
public sealed class OneChainOfBlocksTests(SequencerWithAnvilFixture fixture)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_receipts_block_hash_is_the_hash_of_the_block_served_by_number_by_hash_and_in_newHeads()
    {
        var rpcUrl = fixture.Sequencer.RpcUrl;
        using var rpc = new RpcTestClient(rpcUrl);
        using var socket = await RpcWebSocket.ConnectAsync(new Uri($"ws://{rpcUrl.Authority}/ws"));
        var subscription = await socket.SubscribeAsync("newHeads");
        var blockFilter = (await rpc.ResultAsync("eth_newBlockFilter")).GetString()!;

        var sent = await CastTool.RunAsync(Timeout, "send", "--rpc-url", rpcUrl.ToString(), "--private-key", AnvilNode.DevKey1, TestWallet.DeadAddress, "--value", "77", "--json");
        var receipt = JsonDocument.Parse(sent).RootElement;
        var blockHash = receipt.GetProperty("blockHash").GetString()!;
        var blockNumber = receipt.GetProperty("blockNumber").GetString()!;
        var txHash = receipt.GetProperty("transactionHash").GetString()!;

        var byHash = await rpc.ResultAsync("eth_getBlockByHash", blockHash, false);
        Assert.Equal(JsonValueKind.Object, byHash.ValueKind);
        Assert.Equal(blockHash, byHash.GetProperty("hash").GetString());
        Assert.Equal(blockNumber, byHash.GetProperty("number").GetString());
        Assert.Contains(txHash, byHash.GetProperty("transactions").EnumerateArray().Select(t => t.GetString()));

        var byNumber = await rpc.ResultAsync("eth_getBlockByNumber", blockNumber, true);
        Assert.Equal(blockHash, byNumber.GetProperty("hash").GetString());
        var parent = await rpc.ResultAsync("eth_getBlockByNumber", "0x" + (Convert.ToUInt64(blockNumber, 16) - 1).ToString("x"), false);
        Assert.Equal(parent.GetProperty("hash").GetString(), byNumber.GetProperty("parentHash").GetString());
        // The sequencer's own commitment to the block's order rides along (docs/execution.md, "Block hashes").
        var sequencerHash = byNumber.GetProperty("sequencerHash").GetString()!;
        Assert.Matches("^0x[0-9a-f]{64}$", sequencerHash);
        Assert.NotEqual(blockHash, sequencerHash);
        var sequencerBlock = await rpc.ResultAsync("sequencer_getBlockByNumber", blockNumber, false);
        Assert.Equal(sequencerHash, sequencerBlock.GetProperty("hash").GetString());
        Assert.Equal(Hashes(byNumber), Hashes(sequencerBlock));
        Assert.Equal(sequencerHash, (await rpc.ResultAsync("sequencer_getBlockByHash", sequencerHash, false)).GetProperty("hash").GetString());

        var tx = await rpc.ResultAsync("eth_getTransactionByHash", txHash);
        Assert.Equal(blockHash, tx.GetProperty("blockHash").GetString());
        Assert.Equal(blockHash, (await rpc.ResultAsync("eth_getTransactionByBlockHashAndIndex", blockHash, tx.GetProperty("transactionIndex").GetString()!)).GetProperty("blockHash").GetString());
        Assert.Equal("0x" + byHash.GetProperty("transactions").GetArrayLength().ToString("x"), (await rpc.ResultAsync("eth_getBlockTransactionCountByHash", blockHash)).GetString());

        var blockReceipts = await rpc.ResultAsync("eth_getBlockReceipts", blockNumber);
        Assert.Contains(blockReceipts.EnumerateArray(), r => r.GetProperty("transactionHash").GetString() == txHash && r.GetProperty("blockHash").GetString() == blockHash);

        var filtered = await rpc.ResultAsync("eth_getFilterChanges", blockFilter);
        Assert.Contains(blockHash, filtered.EnumerateArray().Select(h => h.GetString()));

        var latest = await rpc.ResultAsync("eth_getBlockByNumber", "latest", false);
        Assert.Equal((await rpc.ResultAsync("eth_blockNumber")).GetString(), latest.GetProperty("number").GetString());
        Assert.Equal(latest.GetProperty("hash").GetString(), (await rpc.ResultAsync("eth_getBlockByHash", latest.GetProperty("hash").GetString()!, false)).GetProperty("hash").GetString());

        while (true)
        {
            var message = await socket.ReceiveAsync();
            var parameters = message.GetProperty("params");
            Assert.Equal(subscription, parameters.GetProperty("subscription").GetString());
            var head = parameters.GetProperty("result");
            if (head.GetProperty("number").GetString() == blockNumber)
            {
                Assert.Equal(blockHash, head.GetProperty("hash").GetString());
                break;
            }
        }
    }

    private static string[] Hashes(JsonElement block) =>
        block.GetProperty("transactions").EnumerateArray().Select(t => t.ValueKind == JsonValueKind.Object ? t.GetProperty("hash").GetString()! : t.GetString()!).ToArray();
}
