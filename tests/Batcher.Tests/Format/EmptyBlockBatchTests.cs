using Batcher.Format;
using Batcher.Pipeline;
using Batcher.Tests.Chain;
using Primitives.Chain;
using Xunit.Abstractions;

namespace Batcher.Tests.Format;

/// <summary>
/// An idle chain seals an empty block a second (issue 14): in a batch they must be cheap, and they must not make the
/// batcher post every MaxBatchAgeMs.
/// </summary>
public sealed class EmptyBlockBatchTests(ITestOutputHelper output)
{
    private const int Empty = 3_600;

    [Fact]
    public void An_hour_of_empty_blocks_adds_few_bytes_to_a_batch_in_the_default_codec()
    {
        var chain = new TestChain();
        chain.SealBlock(7);
        var busy = new List<SealedBlock> { chain.GetSealedBlock(1)! };
        for (var i = 0; i < Empty; i++)
        {
            chain.Seal([]);
        }

        var idle = Enumerable.Range(1, Empty + 1).Select(n => chain.GetSealedBlock((ulong)n)!).ToList();
        using var encoder = new BatchEncoder(BatchCodecOptions.Default);
        var without = encoder.Encode(TestChain.ChainId, 0, busy, new byte[32]).Length;
        var with = encoder.Encode(TestChain.ChainId, 0, idle, new byte[32]).Length;

        var perBlock = (double)(with - without) / Empty;
        output.WriteLine($"one block of 7 transactions: {without} bytes; with {Empty} empty blocks after it: {with} bytes ({perBlock:F3} bytes per empty block)");
        Assert.Equal(Empty + 1, BatchDecoder.Decode(encoder.Encode(TestChain.ChainId, 0, idle, new byte[32])).Blocks.Count);
        Assert.True(perBlock < 2, $"{perBlock:F3} bytes per empty block");
    }

    [Fact]
    public async Task Empty_blocks_do_not_start_the_batch_age_bound_the_first_block_with_transactions_does()
    {
        var chain = new TestChain();
        for (var i = 0; i < 5; i++)
        {
            chain.Seal([]);
        }

        chain.SealBlock(3); // block 6
        var time = new SteppingTime();
        var builder = new BatchBuilder(new HourPerRead(chain, time), time);

        // Every read of a block moves the clock an hour: with the age bound started by block 1, the batch would close there.
        var contents = await builder.CollectAsync(0, 1, 0, new byte[32], 1_000_000, TimeSpan.FromSeconds(2), CancellationToken.None)
            .WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal([1UL, 2, 3, 4, 5, 6], contents.Blocks.Select(b => b.Number));
    }

    private sealed class SteppingTime : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => Now;
    }

    private sealed class HourPerRead(TestChain chain, SteppingTime time) : ISealedBlockSource
    {
        public ulong LatestSealedNumber => chain.LatestSealedNumber;

        public SealedBlock? GetSealedBlock(ulong number)
        {
            time.Now += TimeSpan.FromHours(1);
            return chain.GetSealedBlock(number);
        }

        public ValueTask WaitForSealedBlockAsync(ulong number, CancellationToken cancellationToken) =>
            chain.WaitForSealedBlockAsync(number, cancellationToken);
    }
}
