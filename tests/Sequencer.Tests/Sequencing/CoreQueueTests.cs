using Sequencer.Sequencing;

namespace Sequencer.Tests.Sequencing;

/// <summary>The bounded queue to the single writer, on fake time: a full queue waits QueueWaitMs, then says busy.</summary>
public sealed class CoreQueueTests
{
    [Fact]
    public async Task AFullQueue_WaitsQueueWaitMs_ThenTurnsTheTransactionAway_AndTheQueuedOnesAreStillConfirmed()
    {
        await using var core = await CoreHarness.StartAsync(o =>
        {
            o.QueueCapacity = 2;
            o.QueueWaitMs = 1_000;
        });
        var (first, release) = await core.StallWriterAsync(); // the writer holds the first one; the queue behind it is empty
        var queued = new[]
        {
            core.SubmitAsync(CoreHarness.Request(CoreHarness.NewSender(), 0)),
            core.SubmitAsync(CoreHarness.Request(CoreHarness.NewSender(), 0)),
        };
        Assert.Equal(2, core.Core.QueueDepth);

        var late = CoreHarness.Request(CoreHarness.NewSender(), 0);
        var refused = core.SubmitAsync(late);
        Assert.Equal(TimeSpan.FromMilliseconds(1_000), await core.Time.NextTimerAsync().AsTask().WaitAsync(CoreHarness.Bound));
        Assert.False(refused.IsCompleted);
        core.Time.Advance(TimeSpan.FromMilliseconds(999));
        Assert.False(refused.IsCompleted);
        core.Time.Advance(TimeSpan.FromMilliseconds(1));

        var outcome = await refused.WaitAsync(CoreHarness.Bound);
        Assert.Equal(SequencingRejection.QueueFull, outcome.Rejection);
        Assert.Equal("sequencer busy: 2 transactions are queued; retry shortly", outcome.Message);

        release.Set();
        foreach (var confirmed in await Task.WhenAll(queued.Prepend(first)).WaitAsync(CoreHarness.Bound))
        {
            Assert.NotNull(confirmed.Transaction);
        }

        Assert.False(core.Store.TryGetSequence(late.Hash, out _));
        Assert.Equal(3, core.Log.DurableRecords.Count);
    }
}
