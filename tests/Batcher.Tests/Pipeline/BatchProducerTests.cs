using Batcher.Format;
using Batcher.Pipeline;
using Batcher.Tests.Chain;
using Nethereum.Util;
using TestInfrastructure;

namespace Batcher.Tests.Pipeline;

public sealed class BatchProducerTests
{
    private static readonly BatchCodecOptions Codec = new(BodyLayout.Columnar, BodyCompression.Zstd, 3);

    [Fact]
    public async Task Batches_encoded_in_parallel_come_out_in_order_identical_to_batches_built_one_after_another()
    {
        var chain = new TestChain();
        for (var i = 0; i < 40; i++)
        {
            chain.SealBlock(6);
        }

        var blockBytes = 12 + chain.GetSealedBlock(1)!.Transactions.Sum(t => 4 + t.Length);
        var bound = (int)(blockBytes * 3.5);
        var maxAge = TimeSpan.FromHours(1);

        // One after another, as the pipeline used to: 12 batches of 3 blocks, all closed by the size bound.
        var expected = new List<BuiltBatch>();
        using (var encoder = new BatchEncoder(Codec))
        {
            var builder = new BatchBuilder(chain, encoder, TimeProvider.System);
            ulong block = 1, sequence = 0;
            var parent = new byte[32];
            for (ulong index = 0; index < 12; index++)
            {
                var batch = await builder.BuildAsync(TestChain.ChainId, index, block, sequence, parent, bound, maxAge, CancellationToken.None);
                expected.Add(batch);
                (block, sequence, parent) = (batch.LastBlock + 1, batch.NextSequence, batch.EndAccumulator);
            }
        }

        using var encoders = new BatchEncoderPool(Codec);
        var producer = new BatchProducer(new BatchBuilder(chain, TimeProvider.System), encoders, TestChain.ChainId, 2, () => bound, maxAge, 0, 1, 0, new byte[32]);
        await using (producer)
        {
            foreach (var want in expected)
            {
                var got = await producer.NextAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

                Assert.Equal(want.Index, got.Index);
                Assert.Equal((want.FirstBlock, want.LastBlock, want.NextSequence), (got.FirstBlock, got.LastBlock, got.NextSequence));
                Assert.Equal(want.Bytes, got.Bytes);
                Assert.Equal(want.EndAccumulator, got.EndAccumulator);
                Assert.Equal(Sha3Keccack.Current.CalculateHash(got.Bytes), got.Hash);
            }
        }
    }

    [Fact]
    public async Task A_block_out_of_sequence_stops_production_with_the_builders_error()
    {
        var chain = new TestChain();
        chain.SealBlock(3);
        using var encoders = new BatchEncoderPool(Codec);
        var producer = new BatchProducer(new BatchBuilder(chain, TimeProvider.System), encoders, TestChain.ChainId, 2, () => 1_000_000,
            TimeSpan.FromMilliseconds(50), 0, 1, 5, new byte[32]);
        await using (producer)
        {
            var error = await Assert.ThrowsAsync<InvalidOperationException>(() => producer.NextAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30)));

            Assert.Contains("starts at sequence 0, but the batcher expected 5", error.Message);
        }
    }

    [Fact]
    public async Task A_built_batch_is_taken_without_waiting_and_none_is_offered_before_it_is_built()
    {
        var chain = new TestChain();
        using var encoders = new BatchEncoderPool(Codec);
        var producer = new BatchProducer(new BatchBuilder(chain, TimeProvider.System), encoders, TestChain.ChainId, 2, () => 100,
            TimeSpan.FromHours(1), 0, 1, 0, new byte[32]);
        await using (producer)
        {
            // Nothing sealed yet: nothing to take.
            Assert.False(producer.TryTakeBuilt(out _));

            chain.SealBlock(6);
            chain.SealBlock(6);
            var first = await producer.NextAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
            // A bound smaller than one block: each block is a batch of its own, closed at once.
            // The second is encoded on another thread and shows up once it is done.
            BuiltBatch? second = null;
            await Eventually.UntilAsync(() => producer.TryTakeBuilt(out second), TimeSpan.FromSeconds(30), "the second batch was never offered");

            Assert.Equal((0UL, 1UL), (first.Index, first.FirstBlock));
            Assert.Equal((1UL, 2UL), (second!.Index, second.FirstBlock));
        }
    }
}
