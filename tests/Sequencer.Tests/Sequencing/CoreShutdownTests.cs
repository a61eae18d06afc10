using Sequencer.Sequencing;

namespace Sequencer.Tests.Sequencing;

/// <summary>At shutdown every caller gets an answer: queued transactions are sequenced and confirmed, held ones are refused.</summary>
public sealed class CoreShutdownTests
{
    [Fact]
    public async Task TransactionsHeldForANonceGap_AreAnsweredAtShutdown()
    {
        await using var core = await CoreHarness.StartAsync();
        var sender = CoreHarness.NewSender();
        var held = core.SubmitAsync(CoreHarness.Request(sender, 2));
        var another = core.SubmitAsync(CoreHarness.Request(sender, 5));
        await core.HeldAsync(2);

        await core.StopAsync();

        var outcome = await held.WaitAsync(CoreHarness.Bound);
        Assert.Equal(SequencingRejection.NotRunning, outcome.Rejection);
        Assert.Equal(
            $"sequencer is shutting down: nonce 2 from {sender} was waiting for nonce 0, which did not arrive; it was not sequenced, send it again once the sequencer is back",
            outcome.Message);
        Assert.Equal(SequencingRejection.NotRunning, (await another.WaitAsync(CoreHarness.Bound)).Rejection);
        Assert.Equal(0, core.Core.HeldCount);
        Assert.Empty(core.Log.DurableRecords);
    }

    [Fact]
    public async Task QueuedTransactions_AreSequencedAndConfirmedAtShutdown_AndLaterOnesAreRefused()
    {
        await using var core = await CoreHarness.StartAsync(o => o.QueueCapacity = 2);
        var (first, release) = await core.StallWriterAsync(); // the writer holds the first one; the queue behind it is empty
        var sender = CoreHarness.NewSender();
        var queued = new[] { core.SubmitAsync(CoreHarness.Request(sender, 0)), core.SubmitAsync(CoreHarness.Request(sender, 2)) };
        var waitingForRoom = core.SubmitAsync(CoreHarness.Request(CoreHarness.NewSender(), 0));
        await core.Time.NextTimerAsync().AsTask().WaitAsync(CoreHarness.Bound);

        var stopping = core.StopAsync();
        var tooLate = await core.SequenceAsync(CoreHarness.Request(CoreHarness.NewSender(), 0));
        var noRoom = await waitingForRoom.WaitAsync(CoreHarness.Bound);
        release.Set();
        await stopping;

        Assert.Equal(SequencingRejection.NotRunning, tooLate.Rejection);
        Assert.Equal("sequencer is not running (starting up or shutting down)", tooLate.Message);
        Assert.Equal(SequencingRejection.NotRunning, noRoom.Rejection);
        Assert.Equal("sequencer is shutting down", noRoom.Message);
        Assert.NotNull((await first).Transaction);
        Assert.NotNull((await queued[0]).Transaction);
        Assert.Equal(SequencingRejection.NotRunning, (await queued[1]).Rejection); // queued, then held: its gap never fills
        Assert.Equal(2, core.Log.DurableRecords.Count);
        Assert.Equal(2, core.Store.DurableEnd);
        Assert.Equal(1UL, core.Store.LatestBlockNumber); // the open block was sealed and published
        Assert.True(core.Log.Disposed);
    }
}
