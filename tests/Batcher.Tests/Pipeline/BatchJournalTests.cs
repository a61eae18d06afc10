using Batcher.Pipeline;

namespace Batcher.Tests.Pipeline;

public sealed class BatchJournalTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("batch-journal-");

    private string JournalPath => Path.Combine(_directory.FullName, "batcher-journal.jsonl");

    [Fact]
    public async Task The_latest_line_of_each_index_is_read_back_across_many_chunks()
    {
        var journal = new BatchJournal(JournalPath);
        // About 300 bytes a line: 2000 lines span several 64 KiB chunks, so lines cross chunk boundaries.
        await journal.AppendAsync(Enumerable.Range(0, 2000).Select(i => Record((ulong)i, "01")), CancellationToken.None);
        // Batch 1500 stored again in DA under another commitment: the later line replaces the earlier one.
        await journal.AppendAsync([Record(1500, "02")], CancellationToken.None);

        var all = journal.ReadLatest(0, 2000);
        Assert.Equal(2000, all.Count);
        Assert.All(all, pair => Assert.Equal(pair.Key, pair.Value.BatchIndex));
        Assert.EndsWith("02", all[1500].DaCommitment);
        Assert.EndsWith("01", all[1499].DaCommitment);

        var recent = journal.ReadLatest(1990, 2005);
        Assert.Equal(Enumerable.Range(1990, 10).Select(i => (ulong)i), recent.Keys.Order());
    }

    [Fact]
    public async Task A_line_torn_by_a_crash_at_the_end_is_skipped_and_one_in_the_middle_is_an_error()
    {
        var journal = new BatchJournal(JournalPath);
        await journal.AppendAsync([Record(0, "01"), Record(1, "01")], CancellationToken.None);
        await File.AppendAllTextAsync(JournalPath, "{\"batchIndex\":2,\"firstBl");

        Assert.Equal(new ulong[] { 0, 1 }, journal.ReadLatest(0, 3).Keys.Order());

        await File.AppendAllTextAsync(JournalPath, "\n");
        await journal.AppendAsync([Record(3, "01")], CancellationToken.None);
        var error = Assert.Throws<InvalidDataException>(() => journal.ReadLatest(0, 4));
        Assert.Contains(JournalPath, error.Message);
    }

    [Fact]
    public void A_missing_journal_holds_nothing()
    {
        Assert.Empty(new BatchJournal(JournalPath).ReadLatest(0, 10));
    }

    private static BatchRecord Record(ulong index, string commitmentTail) =>
        new(index, 2 * index + 1, 2 * index + 2, "0x" + index.ToString("x64"), "0x" + new string('a', 64), "0x02" + new string('c', 62) + commitmentTail, 2, "0x" + new string('b', 64), 0);

    public void Dispose() => _directory.Delete(recursive: true);
}
