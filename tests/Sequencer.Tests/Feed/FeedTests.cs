using System.Net.WebSockets;
using System.Text.Json;
using Sequencer.Tests.Infrastructure;
using TestInfrastructure.Ethereum;

namespace Sequencer.Tests.Feed;

/// <summary>A small per-subscriber buffer, so that a subscriber that stops reading is dropped quickly.</summary>
public sealed class FeedHostFixture : SequencerHostFixture
{
    protected override IEnumerable<string> Settings => ["--Sequencer:Feed:SubscriberBuffer=16"];
}

public sealed class FeedTests(FeedHostFixture host) : IClassFixture<FeedHostFixture>
{
    [Fact]
    public async Task Subscribers_ReceiveEveryConfirmation_InSequenceOrder_AndNewHeads()
    {
        using var socket = await ConnectAsync();
        var confirmationsId = await socket.SubscribeAsync("softConfirmations");
        var headsId = await socket.SubscribeAsync("newHeads");
        var wallet = host.NewWallet(700);

        var replies = new List<JsonElement>();
        for (var i = 0; i < 5; i++)
        {
            replies.Add(await host.Rpc.ResultAsync("sequencer_sendRawTransaction", wallet.Sign1559(wallet.TakeNonce())));
        }

        var pushed = new List<JsonElement>();
        var heads = new List<JsonElement>();
        var lastBlock = replies[^1].GetProperty("blockNumber").GetString();
        while (pushed.Count < 5 || !heads.Any(h => h.GetProperty("number").GetString() == lastBlock))
        {
            var message = await socket.ReceiveAsync();
            var parameters = message.GetProperty("params");
            var target = parameters.GetProperty("subscription").GetString() == confirmationsId ? pushed : heads;
            target.Add(parameters.GetProperty("result"));
        }

        Assert.Equal(replies.Select(r => r.GetRawText()), pushed.Take(5).Select(p => p.GetRawText()));
        Assert.NotEqual(confirmationsId, headsId);
        var head = heads.First(h => h.GetProperty("number").GetString() == lastBlock);
        var block = await host.Rpc.ResultAsync("eth_getBlockByNumber", lastBlock, false);
        Assert.Equal(block.GetProperty("hash").GetString(), head.GetProperty("hash").GetString());
    }

    [Fact]
    public async Task NewPendingTransactions_PushesEachConfirmedTransactionHash_InSequenceOrder()
    {
        using var socket = await ConnectAsync();
        var id = await socket.SubscribeAsync("newPendingTransactions");
        var wallet = host.NewWallet(701);

        var sent = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            sent.Add((await host.Rpc.ResultAsync("eth_sendRawTransaction", wallet.Sign1559(wallet.TakeNonce()))).GetString()!);
        }

        var pushed = new List<string>();
        while (pushed.Count < 3)
        {
            var parameters = (await socket.ReceiveAsync()).GetProperty("params");
            Assert.Equal(id, parameters.GetProperty("subscription").GetString());
            pushed.Add(parameters.GetProperty("result").GetString()!);
        }

        Assert.Equal(sent, pushed);
    }

    [Fact]
    public async Task Unsubscribe_RemovesTheSubscriptionOnce()
    {
        using var socket = await ConnectAsync();
        var id = await socket.SubscribeAsync("newHeads");

        await socket.SendAsync($"{{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"eth_unsubscribe\",\"params\":[\"{id}\"]}}");
        var first = await socket.ReceiveReplyAsync(2);
        await socket.SendAsync($"{{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"eth_unsubscribe\",\"params\":[\"{id}\"]}}");
        var second = await socket.ReceiveReplyAsync(3);

        Assert.True(first.GetProperty("result").GetBoolean());
        Assert.False(second.GetProperty("result").GetBoolean());
    }

    [Fact]
    public async Task UnknownSubscriptionType_IsInvalidParams()
    {
        using var socket = await ConnectAsync();
        await socket.SendAsync("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_subscribe\",\"params\":[\"newBlocks\",{}]}");

        var reply = await socket.ReceiveReplyAsync(1);

        Assert.Equal(-32602, reply.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Contains("supported: newHeads, softConfirmations, newPendingTransactions, logs", reply.GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public async Task Logs_subscription_without_an_execution_node_says_what_to_configure()
    {
        using var socket = await ConnectAsync();
        await socket.SendAsync("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_subscribe\",\"params\":[\"logs\",{}]}");

        var reply = await socket.ReceiveReplyAsync(1);

        Assert.Equal(-32000, reply.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Contains("set Sequencer:Execution:Kind", reply.GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public async Task SubscriberThatStopsReading_IsDropped_WithAReason_WhileConfirmationsGoOn()
    {
        using var slow = await ConnectAsync();
        await slow.SubscribeAsync("softConfirmations");

        Assert.True(await SlowSubscriber.FloodUntilDroppedAsync(host, walletSeed: 710) > 0);

        // Reading now drains what the network buffered, then ends with the close frame naming the reason.
        var end = await slow.DrainUntilClosedAsync();
        Assert.True(end.Status == WebSocketCloseStatus.PolicyViolation, end.ToString());
        Assert.Contains("subscriber too slow: more than 16 messages pending", end.Reason);
    }

    private Task<RpcWebSocket> ConnectAsync() => RpcWebSocket.ConnectAsync(host.WebSocketUrl);
}
