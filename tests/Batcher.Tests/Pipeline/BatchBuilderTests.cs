using Batcher.Format;
using Batcher.Pipeline;
using Batcher.Tests.Chain;

namespace Batcher.Tests.Pipeline;

public sealed class BatchBuilderTests
{
    [Fact]
    public async Task A_batch_closes_before_the_block_that_would_cross_the_size_bound()
    {
        var chain = new TestChain();
        for (var i = 0; i < 10; i++)
        {
            chain.SealBlock(6);
        }

        var blockBytes = 12 + chain.GetSealedBlock(1)!.Transactions.Sum(t => 4 + t.Length);
        using var encoder = new BatchEncoder();
        var builder = new BatchBuilder(chain, encoder, TimeProvider.System);

        var batch = await builder.BuildAsync(TestChain.ChainId, 0, 1, 0, new byte[32], (int)(blockBytes * 3.5), TimeSpan.FromHours(1), CancellationToken.None);

        Assert.Equal(1UL, batch.FirstBlock);
        Assert.Equal(3UL, batch.LastBlock);
        Assert.Equal(18UL, batch.NextSequence);
        Assert.Equal(chain.GetSealedBlock(3)!.Accumulator.ToArray(), batch.EndAccumulator);
        Assert.Equal(3, BatchDecoder.Decode(batch.Bytes).Blocks.Count);
    }

    [Fact]
    public async Task A_batch_closes_at_its_maximum_age_with_the_blocks_it_has()
    {
        var chain = new TestChain();
        chain.SealBlock(2);
        using var encoder = new BatchEncoder();
        var builder = new BatchBuilder(chain, encoder, TimeProvider.System);

        // No further block is ever sealed: only the age can close this batch.
        var batch = await builder.BuildAsync(TestChain.ChainId, 0, 1, 0, new byte[32], 1_000_000, TimeSpan.FromMilliseconds(100), CancellationToken.None)
            .WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(1UL, batch.FirstBlock);
        Assert.Equal(1UL, batch.LastBlock);
    }

    [Fact]
    public async Task A_block_that_does_not_continue_the_expected_sequence_stops_the_builder()
    {
        var chain = new TestChain();
        chain.SealBlock(3);
        using var encoder = new BatchEncoder();
        var builder = new BatchBuilder(chain, encoder, TimeProvider.System);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            builder.BuildAsync(TestChain.ChainId, 0, 1, 5, new byte[32], 1_000_000, TimeSpan.FromMilliseconds(50), CancellationToken.None));

        Assert.Contains("starts at sequence 0, but the batcher expected 5", error.Message);
    }
}
