using Sequencer.Sequencing;

namespace Sequencer.Tests.Sequencing;

/// <summary>
/// The empty-block catch-up at a start (one empty block per second the head lags the clock) on the real clock, after a
/// log whose head is a year old: about 31.5 M empty blocks, far more than a writer seals within these tests' bounds.
/// </summary>
public sealed class CatchUpTests
{
    private static ulong YearAgo => (ulong)DateTimeOffset.UtcNow.AddDays(-365).ToUnixTimeSeconds();

    [Fact]
    public async Task Dispose_WithoutStop_EndsTheWriterBeforeItReturns()
    {
        await using var core = await CoreHarness.StartAsync(clock: TimeProvider.System, headTimestamp: YearAgo);
        await TestInfrastructure.Eventually.UntilAsync(() => core.Store.LatestBlockNumber > 1, CoreHarness.Bound, "the catch-up under way");

        core.Core.Dispose();

        Assert.True(core.Core.Writing.IsCompleted, "the writer still runs after Dispose (it would keep sealing empty blocks on a released log)");
        Assert.True(core.Log.Disposed);
    }

    [Fact]
    public async Task ATransactionDuringTheCatchUp_IsConfirmedWithoutWaitingForIt_InAValidChain()
    {
        await using var core = await CoreHarness.StartAsync(clock: TimeProvider.System, headTimestamp: YearAgo);
        await TestInfrastructure.Eventually.UntilAsync(() => core.Store.LatestBlockNumber > 1, CoreHarness.Bound, "the catch-up under way");

        // Bounded: behind the whole catch-up this would wait for ~31.5 M empty blocks (minutes to hours).
        var tx = (await core.SequenceAsync(CoreHarness.Request(CoreHarness.NewSender(), 0))).Transaction;
        await core.StopAsync();

        Assert.NotNull(tx);
        Assert.True(tx.Timestamp <= (ulong)DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        var block = core.Store.GetBlock(tx.BlockNumber)!;
        var parent = core.Store.GetBlock(tx.BlockNumber - 1)!;
        Assert.True(block.IsSealed);
        Assert.Equal(tx.Timestamp, block.Timestamp);
        Assert.Equal(parent.Hash, block.ParentHash);
        Assert.True(block.Timestamp >= parent.Timestamp, "block timestamps went backwards");
        Assert.Equal(1, block.TransactionCount);

        // The empty blocks sealed before it still follow the logged head one second apart (what a replay rebuilds).
        Assert.Equal(core.Store.GetBlock(1)!.Timestamp + (tx.BlockNumber - 2), parent.Timestamp);
    }

    [Fact]
    public async Task ATransactionDuringTheCatchUp_ComesAfterEveryEmptyBlockThePreviousRunMayHaveShown()
    {
        // The previous run showed 20,000 empty blocks after its last transaction block (in a batch, perhaps): they keep
        // their numbers, however early a transaction comes.
        await using var core = await CoreHarness.StartAsync(clock: TimeProvider.System, headTimestamp: YearAgo, shownUpTo: 20_001);

        var tx = (await core.SequenceAsync(CoreHarness.Request(CoreHarness.NewSender(), 0))).Transaction;
        await core.StopAsync();

        Assert.NotNull(tx);
        Assert.True(tx.BlockNumber > 20_001, $"the transaction took block {tx.BlockNumber}, a number the previous run may have shown empty");
        var parent = core.Store.GetBlock(tx.BlockNumber - 1)!;
        Assert.Equal(core.Store.GetBlock(1)!.Timestamp + (tx.BlockNumber - 2), parent.Timestamp);
        Assert.Equal(parent.Hash, core.Store.GetBlock(tx.BlockNumber)!.ParentHash);
    }

    [Fact]
    public async Task PastWhatWasShown_TheCatchUpWaitsForItsStartDelay_AndATransactionStillComesAfterEveryBlockShownBefore()
    {
        // A delay far longer than the test: past block 5,001 (what the previous run may have shown), whatever is sealed
        // before the transaction, the start did not seal by itself; up to it, the start seals at once (one slice).
        await using var core = await CoreHarness.StartAsync(
            configure: options => options.EmptyBlockCatchUpDelayMs = 60_000, clock: TimeProvider.System, headTimestamp: YearAgo, shownUpTo: 5_001);
        await TestInfrastructure.Eventually.UntilAsync(() => core.Store.LatestBlockNumber >= 5_001, CoreHarness.Bound, "the blocks shown before, sealed again");
        await Task.Delay(500);

        Assert.True(core.Store.LatestBlockNumber <= 5_001 + 8_192, $"the catch-up went on to block {core.Store.LatestBlockNumber} beside the start");

        var tx = (await core.SequenceAsync(CoreHarness.Request(CoreHarness.NewSender(), 0))).Transaction;
        await core.StopAsync();

        Assert.NotNull(tx);
        Assert.True(tx.BlockNumber > 5_001, $"the transaction took block {tx.BlockNumber}, a number the previous run may have shown empty");
        Assert.Equal(core.Store.GetBlock(tx.BlockNumber - 1)!.Hash, core.Store.GetBlock(tx.BlockNumber)!.ParentHash);
    }
}
