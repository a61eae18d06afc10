using Batcher.Format;
using Batcher.Tests.Chain;
using Primitives.Chain;

namespace Batcher.Tests.Format;

public sealed class BatchCodecTests
{
    public static TheoryData<BodyLayout, BodyCompression, int> Codecs => new()
    {
        { BodyLayout.Plain, BodyCompression.None, 0 },
        { BodyLayout.Plain, BodyCompression.Zstd, 3 },
        { BodyLayout.Plain, BodyCompression.Brotli, 5 },
        { BodyLayout.Columnar, BodyCompression.None, 0 },
        { BodyLayout.Columnar, BodyCompression.Zstd, 3 },
        { BodyLayout.Columnar, BodyCompression.Brotli, 5 },
    };

    [Theory]
    [MemberData(nameof(Codecs))]
    public void Every_codec_gives_back_the_exact_transactions_to_both_readers(BodyLayout layout, BodyCompression compression, int level)
    {
        var blocks = MixedBlocks();
        using var encoder = new BatchEncoder(new BatchCodecOptions(layout, compression, level));
        var batch = encoder.Encode(TestChain.ChainId, 9, blocks, new byte[32]);

        var decoded = BatchDecoder.Decode(batch);
        var documented = DocumentedBatchReader.Read(batch);

        Assert.Equal(blocks.Select(b => b.Number), decoded.Blocks.Select(b => b.Number));
        Assert.Equal(blocks.Select(b => b.Timestamp), documented.Blocks.Select(b => b.Timestamp));
        var expected = blocks.SelectMany(b => b.Transactions.Select(t => t.ToArray())).ToList();
        Assert.Equal(expected, decoded.Blocks.SelectMany(b => b.Transactions).ToList());
        Assert.Equal(expected, documented.Blocks.SelectMany(b => b.Transactions).ToList());
        Assert.Equal(blocks[^1].Accumulator.ToArray(), decoded.Header.EndAccumulator.ToArray());
        Assert.Equal(blocks[0].FirstSequence, documented.Header.FirstSequence);
    }

    [Theory]
    [MemberData(nameof(Codecs))]
    public void A_batch_that_consumes_forced_entries_is_version_2_and_both_readers_give_back_its_entries(BodyLayout layout, BodyCompression compression, int level)
    {
        var blocks = MixedBlocks();
        using var encoder = new BatchEncoder(new BatchCodecOptions(layout, compression, level));
        var forced = new ForcedSection(4, [new ForcedSectionEntry(0, 7, 7), new ForcedSectionEntry(0x40, 9, 9), new ForcedSectionEntry(5, 9, 9)]);
        var batch = encoder.Encode(TestChain.ChainId, 9, blocks, new byte[32], forced);
        var plain = encoder.Encode(TestChain.ChainId, 9, blocks, new byte[32], ForcedSection.None);

        Assert.Equal(BatchFormat.Version2, batch[4]);
        Assert.Equal(BatchFormat.Version1, plain[4]);
        var decoded = BatchDecoder.Decode(batch);
        Assert.Equal(forced.From, decoded.Forced.From);
        Assert.Equal(forced.Entries, decoded.Forced.Entries);
        Assert.Empty(BatchDecoder.Decode(plain).Forced.Entries);

        var documented = DocumentedBatchReader.ReadWithForced(batch, out var entries);
        Assert.Equal([(4UL, (byte)0, 7UL, 7UL), (5UL, (byte)0x40, 9UL, 9UL), (6UL, (byte)5, 9UL, 9UL)],
            entries.Select(e => (e.QueueIndex, e.Outcome, e.Sequence, e.Position)).ToList());
        var expected = blocks.SelectMany(b => b.Transactions.Select(t => t.ToArray())).ToList();
        Assert.Equal(expected, decoded.Blocks.SelectMany(b => b.Transactions).ToList());
        Assert.Equal(expected, documented.Blocks.SelectMany(b => b.Transactions).ToList());
    }

    [Fact]
    public void A_version_2_batch_whose_forced_section_overruns_the_batch_is_rejected()
    {
        using var encoder = new BatchEncoder();
        var batch = encoder.Encode(TestChain.ChainId, 9, MixedBlocks(), new byte[32], new ForcedSection(0, [new ForcedSectionEntry(0, 1, 1)]));
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(batch.AsSpan(124), 1_000_000);

        var error = Assert.Throws<BatchFormatException>(() => BatchDecoder.Decode(batch));
        Assert.Contains("forced-entry section declares 1000000 entries", error.Message);
    }

    [Fact]
    public void Columnar_layout_keeps_odd_transactions_raw_and_exact()
    {
        // Legacy, an empty block, call data that is not whole words, a contract creation, a non-canonical envelope.
        var chain = new TestChain();
        var wallet = TestInfrastructure.Ethereum.TestWallet.FromSeed(5, TestChain.ChainId);
        var nonCanonical = Convert.FromHexString(wallet.Sign1559(0)[2..]);
        nonCanonical = [.. nonCanonical, 0x00];
        chain.Seal([
            Convert.FromHexString(wallet.SignLegacy(1)[2..]),
            Convert.FromHexString(wallet.Sign1559(2, data: "0102")[2..]),
            Convert.FromHexString(wallet.Sign1559(3, to: "", gas: 100_000, data: "6080604052")[2..]),
            Convert.FromHexString(wallet.Sign1559(4, data: "a9059cbb" + new string('0', 64))[2..]),
            nonCanonical,
        ]);
        chain.Seal([]);
        var blocks = new[] { chain.GetSealedBlock(1)!, chain.GetSealedBlock(2)! };
        using var encoder = new BatchEncoder();

        var decoded = BatchDecoder.Decode(encoder.Encode(TestChain.ChainId, 0, blocks, new byte[32]));

        Assert.Equal(blocks[0].Transactions.Select(t => t.ToArray()), decoded.Blocks[0].Transactions);
        Assert.Empty(decoded.Blocks[1].Transactions);
    }

    [Fact]
    public void Malformed_batches_are_rejected_with_a_specific_reason()
    {
        using var encoder = new BatchEncoder();
        var batch = encoder.Encode(TestChain.ChainId, 0, MixedBlocks(), new byte[32]);

        Assert.Contains("shorter than the 116-byte header", Assert.Throws<BatchFormatException>(() => BatchDecoder.Decode(batch.AsSpan(0, 50))).Message);
        var badMagic = (byte[])batch.Clone();
        badMagic[0] = (byte)'X';
        Assert.Contains("magic", Assert.Throws<BatchFormatException>(() => BatchDecoder.Decode(badMagic)).Message);
        var badVersion = (byte[])batch.Clone();
        badVersion[4] = 3;
        Assert.Contains("unsupported batch version 3", Assert.Throws<BatchFormatException>(() => BatchDecoder.Decode(badVersion)).Message);
        var truncated = batch.AsSpan(0, batch.Length - 10).ToArray();
        Assert.Throws<BatchFormatException>(() => BatchDecoder.Decode(truncated));
        var wrongLength = (byte[])batch.Clone();
        wrongLength[115] ^= 1;
        Assert.Throws<BatchFormatException>(() => BatchDecoder.Decode(wrongLength));
        var moreBlocks = (byte[])batch.Clone();
        moreBlocks[36] += 1;
        Assert.Throws<BatchFormatException>(() => BatchDecoder.Decode(moreBlocks));
    }

    private static List<SealedBlock> MixedBlocks()
    {
        var chain = new TestChain();
        for (var i = 0; i < 6; i++)
        {
            chain.SealBlock(i == 3 ? 0 : 7);
        }

        return Enumerable.Range(1, 6).Select(n => chain.GetSealedBlock((ulong)n)!).ToList();
    }
}
