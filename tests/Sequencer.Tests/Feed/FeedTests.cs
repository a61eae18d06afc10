using System.Net.WebSockets;
using System.Text;
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
        var confirmationsId = await SubscribeAsync(socket, "softConfirmations");
        var headsId = await SubscribeAsync(socket, "newHeads");
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
            var message = await ReceiveAsync(socket);
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
    public async Task Unsubscribe_RemovesTheSubscriptionOnce()
    {
        using var socket = await ConnectAsync();
        var id = await SubscribeAsync(socket, "newHeads");

        await SendAsync(socket, $"{{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"eth_unsubscribe\",\"params\":[\"{id}\"]}}");
        var first = await ReceiveReplyAsync(socket, 2);
        await SendAsync(socket, $"{{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"eth_unsubscribe\",\"params\":[\"{id}\"]}}");
        var second = await ReceiveReplyAsync(socket, 3);

        Assert.True(first.GetProperty("result").GetBoolean());
        Assert.False(second.GetProperty("result").GetBoolean());
    }

    [Fact]
    public async Task UnknownSubscriptionType_IsInvalidParams()
    {
        using var socket = await ConnectAsync();
        await SendAsync(socket, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_subscribe\",\"params\":[\"logs\",{}]}");

        var reply = await ReceiveReplyAsync(socket, 1);

        Assert.Equal(-32602, reply.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Contains("supported: newHeads, softConfirmations", reply.GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public async Task SubscriberThatStopsReading_IsDropped_WithAReason_WhileConfirmationsGoOn()
    {
        var droppedBefore = (await host.Rpc.ResultAsync("sequencer_getStatus")).GetProperty("feed").GetProperty("dropped").GetInt64();
        using var slow = await ConnectAsync();
        await SubscribeAsync(slow, "softConfirmations");

        // Push far more notifications than the socket buffers and the 16-message buffer can hold, without reading.
        var wallets = Enumerable.Range(710, 20).Select(host.NewWallet).ToArray();
        var confirmed = 0;
        for (var round = 0; round < 400 && !await DroppedSinceAsync(droppedBefore); round++)
        {
            var batch = "[" + string.Join(',', wallets.Select((w, i) =>
                $"{{\"jsonrpc\":\"2.0\",\"id\":{i},\"method\":\"eth_sendRawTransaction\",\"params\":[\"{w.Sign1559(w.TakeNonce())}\"]}}")) + "]";
            var (_, body) = await host.Rpc.PostAsync(batch);
            confirmed += JsonDocument.Parse(body).RootElement.EnumerateArray().Count(r => r.TryGetProperty("result", out _));
        }

        Assert.True(await DroppedSinceAsync(droppedBefore), "the slow subscriber was never dropped");
        Assert.True(confirmed > 0);

        // Reading now drains what the network buffered, then ends with the close frame naming the reason.
        var closeReason = await DrainUntilClosedAsync(slow);
        Assert.Contains("subscriber too slow", closeReason);
    }

    private async Task<bool> DroppedSinceAsync(long before) =>
        (await host.Rpc.ResultAsync("sequencer_getStatus")).GetProperty("feed").GetProperty("dropped").GetInt64() > before;

    private static async Task<string> DrainUntilClosedAsync(ClientWebSocket socket)
    {
        var buffer = new byte[64 * 1024];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer, timeout.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return result.CloseStatusDescription ?? string.Empty;
                }
            }
        }
        catch (WebSocketException ex)
        {
            return "aborted: " + ex.Message;
        }
    }

    private async Task<ClientWebSocket> ConnectAsync()
    {
        var socket = new ClientWebSocket();
        await socket.ConnectAsync(host.WebSocketUrl, CancellationToken.None);
        return socket;
    }

    private static async Task<string> SubscribeAsync(ClientWebSocket socket, string kind)
    {
        await SendAsync(socket, $"{{\"jsonrpc\":\"2.0\",\"id\":\"sub-{kind}\",\"method\":\"eth_subscribe\",\"params\":[\"{kind}\"]}}");
        while (true)
        {
            var message = await ReceiveAsync(socket);
            if (message.TryGetProperty("id", out var id) && id.GetString() == "sub-" + kind)
            {
                return message.GetProperty("result").GetString()!;
            }
        }
    }

    private static async Task<JsonElement> ReceiveReplyAsync(ClientWebSocket socket, int id)
    {
        while (true)
        {
            var message = await ReceiveAsync(socket);
            if (message.TryGetProperty("id", out var got) && got.ValueKind == JsonValueKind.Number && got.GetInt32() == id)
            {
                return message;
            }
        }
    }

    private static Task SendAsync(ClientWebSocket socket, string text) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);

    private static async Task<JsonElement> ReceiveAsync(ClientWebSocket socket)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var buffer = new byte[1 << 16];
        var stream = new MemoryStream();
        WebSocketReceiveResult result;
        do
        {
            result = await socket.ReceiveAsync(buffer, timeout.Token);
            stream.Write(buffer, 0, result.Count);
        }
        while (!result.EndOfMessage);

        return JsonDocument.Parse(stream.ToArray()).RootElement;
    }
}
