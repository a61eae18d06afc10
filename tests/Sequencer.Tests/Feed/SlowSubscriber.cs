using System.Text.Json;
using Sequencer.Tests.Infrastructure;
using TestInfrastructure.Ethereum;

namespace Sequencer.Tests.Feed;

/// <summary>
/// Makes a subscriber that does not read fall behind: confirmations in batches of 100 until the host reports
/// a dropped subscriber (on loopback the network buffers alone take some megabytes first).
/// </summary>
internal static class SlowSubscriber
{
    /// <summary>
    /// Subscribes <paramref name="socket"/> to soft confirmations as often as a connection may (16 by
    /// default): each confirmation then becomes that many notifications, so the buffers fill 16 times sooner.
    /// </summary>
    public static async Task SubscribeManyAsync(RpcWebSocket socket, int count = 16)
    {
        for (var i = 0; i < count; i++)
        {
            await socket.SubscribeAsync("softConfirmations");
        }
    }

    /// <summary>Returns how many transactions were confirmed meanwhile; fails if no subscriber was dropped.</summary>
    public static async Task<int> FloodUntilDroppedAsync(SequencerHostFixture host, int walletSeed)
    {
        var droppedBefore = await DroppedAsync(host);
        var wallets = Enumerable.Range(walletSeed, 100).Select(host.NewWallet).ToArray();
        var confirmed = 0;
        for (var round = 0; round < 400 && await DroppedAsync(host) == droppedBefore; round++)
        {
            var batch = "[" + string.Join(',', wallets.Select((w, i) =>
                $"{{\"jsonrpc\":\"2.0\",\"id\":{i},\"method\":\"eth_sendRawTransaction\",\"params\":[\"{w.Sign1559(w.TakeNonce())}\"]}}")) + "]";
            var (_, body) = await host.Rpc.PostAsync(batch);
            confirmed += JsonDocument.Parse(body).RootElement.EnumerateArray().Count(r => r.TryGetProperty("result", out _));
        }

        Assert.True(await DroppedAsync(host) > droppedBefore, "the slow subscriber was never dropped");
        return confirmed;
    }

    private static async Task<long> DroppedAsync(SequencerHostFixture host) =>
        (await host.Rpc.ResultAsync("sequencer_getStatus")).GetProperty("feed").GetProperty("dropped").GetInt64();
}
