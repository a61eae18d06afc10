using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Sequencer.Tests.Infrastructure;
using TestInfrastructure.Ethereum;
using TestInfrastructure;

namespace Sequencer.Tests.Rpc;

/// <summary>Small WebSocket and reply bounds, so that every limit is reached quickly.</summary>
public sealed class WebSocketLimitsHostFixture : SequencerHostFixture
{
    public const int MaxResponseBytes = 65_536;
    public const int PerAddress = 4;
    public const string AllowedOrigin = "https://dapp.example";

    protected override IEnumerable<string> Settings =>
    [
        $"--Sequencer:Rpc:MaxResponseBytes={MaxResponseBytes}",
        $"--Sequencer:Rpc:WebSocketMaxQueuedBytes={2 * MaxResponseBytes}",
        $"--Sequencer:Rpc:MaxWebSocketConnectionsPerAddress={PerAddress}",
        "--Sequencer:Rpc:WebSocketIdleTimeoutMs=1500",
        $"--Sequencer:Rpc:WebSocketAllowedOrigins:0={AllowedOrigin}",
    ];
}

/// <summary>
/// The bounds of docs/rpc.md "Transport" on the real host: reply size, connections per address, idle
/// sockets, clients that stop reading, and the Origin of browser pages.
/// </summary>
public sealed class WebSocketLimitsTests(WebSocketLimitsHostFixture host) : IClassFixture<WebSocketLimitsHostFixture>
{
    [Fact]
    public async Task A_batch_reply_over_MaxResponseBytes_keeps_the_replies_that_fit_and_answers_the_rest_with_response_too_large()
    {
        var hash = await SendTransactionAsync(seed: 501, dataBytes: 20_000);
        var batch = Batch(hash, 10);

        var (status, body) = await host.Rpc.PostAsync(batch);

        Assert.Equal(HttpStatusCode.OK, status);
        AssertCutAtTheBound(body, 10);

        using var socket = await RpcWebSocket.ConnectAsync(host.WebSocketUrl);
        await socket.SendAsync(batch);
        AssertCutAtTheBound((await socket.ReceiveAsync()).GetRawText(), 10);
    }

    [Fact]
    public async Task A_single_reply_over_MaxResponseBytes_is_a_limit_error()
    {
        var hash = await SendTransactionAsync(seed: 502, dataBytes: 40_000);

        var reply = await host.Rpc.CallAsync("eth_getTransactionByHash", hash);

        Assert.Equal(-32005, reply.ErrorCode);
        Assert.Contains("response too large", reply.ErrorMessage);
        Assert.Equal("response_too_large", reply.Error!.Value.GetProperty("data").GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Connections_from_one_address_are_bounded_and_a_closed_one_frees_its_slot()
    {
        await WaitForConnectionsAsync(0);
        var open = new List<RpcWebSocket>();
        try
        {
            for (var i = 0; i < WebSocketLimitsHostFixture.PerAddress; i++)
            {
                var socket = await RpcWebSocket.ConnectAsync(host.WebSocketUrl);
                open.Add(socket);
                await socket.SubscribeAsync("newHeads"); // Subscribed: never closed as idle during the test.
            }

            Assert.Equal(HttpStatusCode.TooManyRequests, await RpcWebSocket.RefusalOfAsync(host.WebSocketUrl));

            await open[0].Socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
            open[0].Dispose();
            open.RemoveAt(0);
            await WaitForConnectionsAsync(WebSocketLimitsHostFixture.PerAddress - 1);
            using var again = await RpcWebSocket.ConnectAsync(host.WebSocketUrl);
            Assert.True((await again.CallAsync(1, "eth_chainId")).TryGetProperty("result", out _));
        }
        finally
        {
            open.ForEach(socket => socket.Dispose());
        }
    }

    [Fact]
    public async Task A_socket_without_requests_or_subscriptions_is_closed_when_idle()
    {
        using var socket = await RpcWebSocket.ConnectAsync(host.WebSocketUrl);
        await socket.CallAsync(1, "eth_chainId");

        var end = await socket.DrainUntilClosedAsync();

        Assert.True(end.Status == WebSocketCloseStatus.NormalClosure, end.ToString());
        Assert.Contains("idle", end.Reason);
    }

    [Fact]
    public async Task A_socket_with_a_subscription_is_not_idle()
    {
        using var socket = await RpcWebSocket.ConnectAsync(host.WebSocketUrl);
        await socket.SubscribeAsync("newHeads");

        await Task.Delay(4_500); // Three idle timeouts.

        Assert.True((await socket.CallAsync(7, "eth_chainId")).TryGetProperty("result", out _));
    }

    [Fact]
    public async Task A_client_that_never_reads_its_replies_is_cut_off()
    {
        var hash = await SendTransactionAsync(seed: 503, dataBytes: 20_000);
        await WaitForConnectionsAsync(0);
        var socket = await RpcWebSocket.ConnectAsync(host.WebSocketUrl);
        var call = Encoding.UTF8.GetBytes($"{{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_getTransactionByHash\",\"params\":[\"{hash}\"]}}");

        // 400 replies of ~40 KB: far more than the outbound bound and the socket buffers hold. Sends are not
        // awaited: once the server stops reading they stall, which is the point.
        var sending = Task.Run(async () =>
        {
            for (var i = 0; i < 400; i++)
            {
                await socket.SendAsync(call);
            }
        });
        await WaitForConnectionsAsync(1);

        await WaitForConnectionsAsync(0);
        socket.Dispose();
        _ = sending;
    }

    [Fact]
    public async Task A_message_over_MaxRequestBytes_closes_the_connection_with_1009()
    {
        using var socket = await RpcWebSocket.ConnectAsync(host.WebSocketUrl);

        await socket.SendAsync(new string(' ', 1_048_577));
        var end = await socket.DrainUntilClosedAsync();

        Assert.True(end.Status == WebSocketCloseStatus.MessageTooBig, end.ToString());
        Assert.Contains("message too large", end.Reason);
    }

    [Fact]
    public async Task A_page_of_another_origin_cannot_open_a_socket_but_the_host_itself_listed_origins_and_non_browser_clients_can()
    {
        var self = $"http://{host.WebSocketUrl.Authority}";

        Assert.Equal(HttpStatusCode.Forbidden, await RpcWebSocket.RefusalOfAsync(host.WebSocketUrl, o => o.SetRequestHeader("Origin", "http://evil.example")));
        Assert.Equal(HttpStatusCode.Forbidden, await RpcWebSocket.RefusalOfAsync(host.WebSocketUrl, o => o.SetRequestHeader("Origin", $"http://127.0.0.1:{host.WebSocketUrl.Port + 1}")));
        Assert.Null(await RpcWebSocket.RefusalOfAsync(host.WebSocketUrl, o => o.SetRequestHeader("Origin", self)));
        Assert.Null(await RpcWebSocket.RefusalOfAsync(host.WebSocketUrl, o => o.SetRequestHeader("Origin", WebSocketLimitsHostFixture.AllowedOrigin)));
        Assert.Null(await RpcWebSocket.RefusalOfAsync(host.WebSocketUrl));
    }

    /// <summary>A prefix of results, the rest -32005 response_too_large, ids in order, and the body within the bound plus the error objects.</summary>
    private static void AssertCutAtTheBound(string body, int count)
    {
        var replies = JsonDocument.Parse(body).RootElement;
        Assert.Equal(count, replies.GetArrayLength());
        var results = 0;
        for (var i = 0; i < count; i++)
        {
            var reply = replies[i];
            Assert.Equal(i, reply.GetProperty("id").GetInt32());
            if (reply.TryGetProperty("result", out _))
            {
                Assert.Equal(i, results++); // Results only before the first error.
                continue;
            }

            var error = reply.GetProperty("error");
            Assert.Equal(-32005, error.GetProperty("code").GetInt32());
            Assert.Equal("response_too_large", error.GetProperty("data").GetProperty("reason").GetString());
        }

        Assert.InRange(results, 1, count - 1);
        Assert.InRange(Encoding.UTF8.GetByteCount(body), 0, WebSocketLimitsHostFixture.MaxResponseBytes);
    }

    private async Task<string> SendTransactionAsync(int seed, int dataBytes)
    {
        var wallet = host.NewWallet(seed);
        var data = "0x" + string.Concat(Enumerable.Repeat("ab", dataBytes));
        var raw = wallet.Sign1559(wallet.TakeNonce(), gas: 21_000 + (ulong)dataBytes * 16 + 10_000, data: data);
        return (await host.Rpc.ResultAsync("eth_sendRawTransaction", raw)).GetString()!;
    }

    private static byte[] Batch(string hash, int count) => Encoding.UTF8.GetBytes("[" + string.Join(',', Enumerable.Range(0, count).Select(i =>
        $"{{\"jsonrpc\":\"2.0\",\"id\":{i},\"method\":\"eth_getTransactionByHash\",\"params\":[\"{hash}\"]}}")) + "]");

    /// <summary>Waits (generously) until the host reports <paramref name="expected"/> open WebSocket connections.</summary>
    private Task WaitForConnectionsAsync(int expected) => Eventually.UntilAsync(
        async () => (await host.Rpc.ResultAsync("sequencer_getStatus")).GetProperty("feed").GetProperty("connections").GetInt32(),
        current => current == expected,
        TimeSpan.FromSeconds(60),
        current => $"{current} WebSocket connections open, expected {expected}");
}
