using Sequencer.Sequencing;

namespace Sequencer.Tests.Sequencing;

/// <summary>The core seals a block when the next transaction would pass the gas limit, or once BlockTimeMs has passed (fake time).</summary>
public sealed class BlockSealingTests
{
    [Fact]
    public async Task ATransactionThatWouldPassTheGasLimit_GoesIntoTheNextBlock()
    {
        await using var core = await CoreHarness.StartAsync(o => o.BlockGasLimit = 100_000);
        var sender = CoreHarness.NewSender();
        var blocks = new List<ulong>();
        for (ulong nonce = 0; nonce < 4; nonce++)
        {
            blocks.Add((await core.SequenceAsync(CoreHarness.Request(sender, nonce, gas: 30_000))).Transaction!.BlockNumber);
        }

        Assert.Equal(new ulong[] { 1, 1, 1, 2 }, blocks);
        var sealedBlock = core.Store.LatestBlock; // published before the fourth transaction's confirmation
        Assert.Equal(1UL, sealedBlock.Number);
        Assert.Equal(3, sealedBlock.TransactionCount);
        Assert.Equal(90_000UL, sealedBlock.GasUsed);
    }

    [Fact]
    public async Task TheOpenBlock_IsSealedOnceBlockTimeHasPassed_AndNotBefore()
    {
        await using var core = await CoreHarness.StartAsync(o => o.BlockTimeMs = 200);
        var first = (await core.SequenceAsync(CoreHarness.Request(CoreHarness.NewSender(), 0))).Transaction!;

        core.Time.Advance(TimeSpan.FromMilliseconds(199));
        var second = (await core.SequenceAsync(CoreHarness.Request(CoreHarness.NewSender(), 0))).Transaction!;
        Assert.Equal(first.BlockNumber, second.BlockNumber);
        Assert.Equal(0UL, core.Store.LatestBlockNumber);

        core.Time.Advance(TimeSpan.FromMilliseconds(1));
        await ((Primitives.Chain.ISealedBlockSource)core.Store).WaitForSealedBlockAsync(first.BlockNumber, CancellationToken.None).AsTask().WaitAsync(CoreHarness.Bound);

        Assert.Equal(2, core.Store.LatestBlock.TransactionCount);
        var third = (await core.SequenceAsync(CoreHarness.Request(CoreHarness.NewSender(), 0))).Transaction!;
        Assert.Equal(first.BlockNumber + 1, third.BlockNumber);
    }
}
