using Sequencer.Sequencing;

namespace Sequencer.Tests.Sequencing;

/// <summary>
/// SubmitAsync honours its token until the single writer takes the request: cancelled before, it is never sequenced
/// and the call throws; once the writer has it, the confirmation completes whatever the token does.
/// </summary>
public sealed class SubmitCancellationTests
{
    [Fact]
    public async Task AnAlreadyCancelledToken_Throws_AndNothingIsSequenced()
    {
        await using var core = await CoreHarness.StartAsync();
        var request = CoreHarness.Request(CoreHarness.NewSender(), 0);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => core.SubmitAsync(request, new CancellationToken(canceled: true)));

        Assert.Equal(0, core.Core.QueueDepth);
        Assert.Equal(0UL, core.Nonces.GetPending(request.Sender));
    }

    [Fact]
    public async Task CancelledWhileQueued_IsNeverSequenced_AndTheCallThrows()
    {
        await using var core = await CoreHarness.StartAsync();
        var (first, release) = await core.StallWriterAsync(); // the writer holds the first one; the queue behind it is empty
        using var cancel = new CancellationTokenSource();
        var request = CoreHarness.Request(CoreHarness.NewSender(), 0);
        var queued = core.SubmitAsync(request, cancel.Token);
        var after = CoreHarness.Request(CoreHarness.NewSender(), 0);
        var behind = core.SubmitAsync(after);

        await cancel.CancelAsync();
        release.Set();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => queued.WaitAsync(CoreHarness.Bound));
        Assert.NotNull((await first.WaitAsync(CoreHarness.Bound)).Transaction);
        var next = (await behind.WaitAsync(CoreHarness.Bound)).Transaction!;
        Assert.False(core.Store.TryGetSequence(request.Hash, out _));
        Assert.Equal(0UL, core.Nonces.GetPending(request.Sender));
        Assert.Equal(1, next.Sequence); // no sequence number was spent on the cancelled one
    }

    [Fact]
    public async Task CancelledAfterTheWriterTookIt_StillGetsItsConfirmation()
    {
        await using var core = await CoreHarness.StartAsync();
        var stalled = core.Log.StallAppends(out var release);
        using var cancel = new CancellationTokenSource();
        var request = CoreHarness.Request(CoreHarness.NewSender(), 0);
        var submitted = core.SubmitAsync(request, cancel.Token);
        await stalled.WaitAsync(CoreHarness.Bound); // sequenced: the writer is appending its record

        await cancel.CancelAsync();
        release.Set();

        var outcome = await submitted.WaitAsync(CoreHarness.Bound);
        Assert.Equal(request.Hash, outcome.Transaction!.Hash);
        Assert.Equal(request.Hash, core.Store.GetTransaction(0)!.Hash);
    }

    [Fact]
    public async Task CancelledWhileWaitingForRoom_Throws_AndIsNotQueued()
    {
        await using var core = await CoreHarness.StartAsync(o => o.QueueCapacity = 1);
        var (first, release) = await core.StallWriterAsync(); // the writer holds the first one; the queue behind it is empty
        var queued = core.SubmitAsync(CoreHarness.Request(CoreHarness.NewSender(), 0));
        using var cancel = new CancellationTokenSource();
        var request = CoreHarness.Request(CoreHarness.NewSender(), 0);
        var waiting = core.SubmitAsync(request, cancel.Token);
        await core.Time.NextTimerAsync().AsTask().WaitAsync(CoreHarness.Bound);

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.WaitAsync(CoreHarness.Bound));
        release.Set();
        await Task.WhenAll(first, queued).WaitAsync(CoreHarness.Bound);
        Assert.False(core.Store.TryGetSequence(request.Hash, out _));
    }
}
