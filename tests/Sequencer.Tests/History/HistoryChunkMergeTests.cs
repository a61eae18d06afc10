using Primitives;
using Primitives.Chain;
using Sequencer.Chain;
using Sequencer.History;
using Sequencer.Log;
using Sequencer.Sequencing;

namespace Sequencer.Tests.History;

/// <summary>
/// The indexer writes small chunks (one per checkpoint) and merges the small ones at the end into one, deleting the
/// small files later. A crash between the merge and the deletion leaves both on disk: the next start keeps the merged
/// chunk, deletes the ones it covers, and every lookup answers.
/// </summary>
public sealed class HistoryChunkMergeTests : IDisposable
{
    private const int PerBlock = 10;
    private const ulong GasLimit = 30_000_000;
    private readonly string _root = Path.Combine(Path.GetTempPath(), "seq-merge-" + Guid.NewGuid().ToString("N"));
    private readonly ChainBlock _genesis = BlockAssembler.CreateGenesis(0, GasLimit);

    private string Wal => Path.Combine(_root, "wal");

    private string HistoryDirectory => Path.Combine(_root, "history");

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Theory]
    [InlineData(300, 300)] // all six small chunks merged
    [InlineData(300, 250)] // the first five merged, the sixth written after the merge
    public void MergedChunk_AndTheSmallOnesItCovers_OpenAsTheMergedOne_AndEveryLookupAnswers(int records, int mergedEnd)
    {
        var hashes = WriteChain(records);
        var history = HistoryIndex.Open(Wal, HistoryDirectory, _genesis);
        ChainRecovery.IndexUpTo(history, records, 50, long.MaxValue, GasLimit, fsync: false);
        Assert.Equal(records / 50, history.Chunks.Count);
        var merged = HistoryChunkBuilder.Build(Wal, HistoryDirectory, history.NextStartOfEmpty(), _genesis, mergedEnd, long.MaxValue, long.MaxValue, GasLimit, fsync: false)!;

        var reopened = HistoryIndex.Open(Wal, HistoryDirectory, _genesis);

        Assert.Equal(merged.Chunk.Path, reopened.Chunks[0].Path);
        Assert.Equal(mergedEnd == records ? 1 : 2, reopened.Chunks.Count);
        Assert.Equal(records, reopened.IndexedEnd);
        Assert.Equal(reopened.Chunks.Count, Directory.GetFiles(HistoryDirectory, "*" + HistoryChunk.Extension).Length);
        for (var s = 0; s < records; s++)
        {
            Assert.Equal(s, reopened.FindTransaction(hashes[s])!.Sequence);
        }

        Assert.Equal((ulong)(records / PerBlock), reopened.ReadBlock((ulong)(records / PerBlock))!.Number);
    }

    [Fact]
    public void ReplaceRun_PutsTheMergedChunkInPlaceOfTheRun_AndRefusesOneThatDoesNotCoverIt()
    {
        WriteChain(300);
        var history = HistoryIndex.Open(Wal, HistoryDirectory, _genesis);
        ChainRecovery.IndexUpTo(history, 300, 50, long.MaxValue, GasLimit, fsync: false);
        var start = history.Chunks[0].EndPosition;
        var previous = history.Chunks[0].ReadLastBlock();
        var wrong = HistoryChunkBuilder.Build(Wal, HistoryDirectory, start, previous, 200, long.MaxValue, long.MaxValue, GasLimit, fsync: false)!;
        Assert.Throws<InvalidOperationException>(() => history.ReplaceRun(1, 4, wrong.Chunk));

        var merged = HistoryChunkBuilder.Build(Wal, HistoryDirectory, start, previous, 250, long.MaxValue, long.MaxValue, GasLimit, fsync: false)!;
        var replaced = history.ReplaceRun(1, 4, merged.Chunk);

        Assert.Equal(4, replaced.Length);
        Assert.Equal([0L, 50, 250], history.Chunks.Select(c => c.First));
        Assert.Equal(300, history.IndexedEnd);
    }

    /// <summary>A log of a valid chain (blocks of <see cref="PerBlock"/>, accumulators linked), as the writer leaves it.</summary>
    private List<Hash32> WriteChain(int records)
    {
        Directory.CreateDirectory(Wal);
        var random = new Random(5);
        var hashes = new List<Hash32>();
        var accumulator = Hash32.Zero;
        var sender = new Address(Enumerable.Range(1, 20).Select(i => (byte)i).ToArray());
        Exception? failure = null;
        using var log = new WriteAheadLog(Wal, 64L << 20, fsync: false, 0, _ => { }, ex => failure = ex);
        for (var s = 0; s < records; s++)
        {
            var raw = new byte[110];
            random.NextBytes(raw);
            var hash = Keccak.Hash(raw);
            hashes.Add(hash);
            accumulator = Accumulator.Next(accumulator, hash);
            var block = (ulong)(s / PerBlock) + 1;
            log.Append(new TxLogRecord(s, block, (uint)(s % PerBlock), 1_700_000_000 + block, (ulong)s, 21_000, sender, accumulator), raw);
        }

        log.Commit();
        Assert.True(SpinWait.SpinUntil(() => log.DurableEndSequence >= records || failure is not null, TimeSpan.FromSeconds(30)) && failure is null);
        return hashes;
    }
}
