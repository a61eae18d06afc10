using Sequencer.Sequencing;

namespace Sequencer.Tests.Sequencing;

/// <summary>
/// The core over a log whose write or fsync fails (an in-memory double): nothing is confirmed while it fails, new
/// transactions are turned away, the ones already sequenced are confirmed once a retry succeeds, nothing twice.
/// </summary>
public sealed class CoreLogFailureTests
{
    [Theory]
    [InlineData(LogFault.Write, "No space left on device")]
    [InlineData(LogFault.Fsync, "Input/output error")]
    public async Task WhileTheLogFails_NewTransactionsAreRefused_AndTheSequencedOnesAreConfirmedOnceARetrySucceeds(LogFault fault, string error)
    {
        await using var core = await CoreHarness.StartAsync();
        await core.SequenceAsync(CoreHarness.Request(CoreHarness.NewSender(), 0));
        core.Log.Fail(new IOException(error), fault);

        var waiting = core.SubmitAsync(CoreHarness.Request(CoreHarness.NewSender(), 0));
        await TestInfrastructure.Eventually.UntilAsync(() => !core.Core.IsReady, CoreHarness.Bound, "the core noticing the failed log");
        Assert.Equal(fault == LogFault.Fsync ? 1 : 0, core.Log.WrittenNotDurable);

        var refused = await core.SequenceAsync(CoreHarness.Request(CoreHarness.NewSender(), 0));
        Assert.Equal(SequencingRejection.LogUnavailable, refused.Rejection);
        Assert.Equal("write-ahead log unavailable: " + error, refused.Message);
        Assert.False(waiting.IsCompleted);
        Assert.Equal(1, core.Store.DurableEnd);

        core.Log.Heal();

        var confirmed = (await waiting.WaitAsync(CoreHarness.Bound)).Transaction!;
        Assert.Equal(1, confirmed.Sequence);
        Assert.True(core.Core.IsReady);
        Assert.Equal(new long[] { 0, 1 }, core.Log.DurableRecords.Select(r => r.Sequence));
        Assert.Equal(0, core.Log.WrittenNotDurable);
        Assert.NotNull((await core.SequenceAsync(CoreHarness.Request(CoreHarness.NewSender(), 0))).Transaction);
    }

    [Fact]
    public async Task ALogStillFailingAtShutdown_AnswersTheWaitingTransactions_WithoutConfirmingThem()
    {
        await using var core = await CoreHarness.StartAsync();
        core.Log.Fail(new IOException("No space left on device"), LogFault.Write);
        var waiting = core.SubmitAsync(CoreHarness.Request(CoreHarness.NewSender(), 0));
        await TestInfrastructure.Eventually.UntilAsync(() => !core.Core.IsReady, CoreHarness.Bound, "the core noticing the failed log");

        await core.StopAsync();

        var outcome = await waiting.WaitAsync(CoreHarness.Bound);
        Assert.Equal(SequencingRejection.LogUnavailable, outcome.Rejection);
        Assert.Equal("write-ahead log unavailable at shutdown; this transaction was not confirmed", outcome.Message);
        Assert.Empty(core.Log.DurableRecords);
        Assert.Equal(0, core.Store.DurableEnd);
    }
}
