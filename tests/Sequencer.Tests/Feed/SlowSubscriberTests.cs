using System.Net.WebSockets;
using Sequencer.Tests.Infrastructure;
using TestInfrastructure.Ethereum;

namespace Sequencer.Tests.Feed;

/// <summary>
/// A small byte bound, and a message bound large enough that a subscriber is dropped only once the
/// network buffers are full too (bursts of one group commit's notifications fit in it).
/// </summary>
public sealed class SlowSubscriberHostFixture : SequencerHostFixture
{
    public const int QueuedBytes = 131_072;

    protected override IEnumerable<string> Settings =>
    [
        "--Sequencer:Feed:SubscriberBuffer=1024",
        $"--Sequencer:Rpc:MaxResponseBytes={QueuedBytes / 2}",
        $"--Sequencer:Rpc:WebSocketMaxQueuedBytes={QueuedBytes}",
    ];
}

/// <summary>A subscriber's outbound queue is bounded in bytes, and a dropped one learns why (docs/rpc.md "Feed").</summary>
public sealed class SlowSubscriberTests(SlowSubscriberHostFixture host) : IClassFixture<SlowSubscriberHostFixture>
{
    [Fact]
    public async Task A_subscriber_that_stops_reading_is_dropped_when_its_queued_bytes_pass_the_bound()
    {
        using var slow = await RpcWebSocket.ConnectWithSmallReceiveBufferAsync(host.WebSocketUrl);
        await SlowSubscriber.SubscribeManyAsync(slow);

        await SlowSubscriber.FloodUntilDroppedAsync(host, walletSeed: 2_000);

        var end = await slow.DrainUntilClosedAsync();
        Assert.True(end.Status == WebSocketCloseStatus.PolicyViolation, end.ToString());
        Assert.Contains($"subscriber too slow: more than {SlowSubscriberHostFixture.QueuedBytes} bytes pending", end.Reason);
    }

    [Fact]
    public async Task A_subscriber_that_reads_only_long_after_it_was_dropped_still_gets_close_code_1008()
    {
        using var slow = await RpcWebSocket.ConnectWithSmallReceiveBufferAsync(host.WebSocketUrl);
        await SlowSubscriber.SubscribeManyAsync(slow);
        await SlowSubscriber.FloodUntilDroppedAsync(host, walletSeed: 3_000);

        // A slow client: it comes back to read well after the drop, and still gets the close frame with
        // its status and reason after the data, not a connection cut without one (1006).
        await Task.Delay(TimeSpan.FromSeconds(15));
        var end = await slow.DrainUntilClosedAsync();

        Assert.True(end.Status == WebSocketCloseStatus.PolicyViolation, end.ToString());
        Assert.Contains("subscriber too slow", end.Reason);
    }
}
