using Sequencer.Log;
using Primitives;
using Sequencer.Chain;

namespace Sequencer.History;

/// <summary>
/// The on-disk history: the chunks that index the log from sequence 0 without a gap, and the reads through them.
/// The chunk list is copied on change, so readers on any thread need no lock.
/// </summary>
internal sealed class HistoryIndex
{
    private readonly string _walDirectory;
    private readonly ChainBlock _genesis;
    private HistoryChunk[] _chunks;

    private HistoryIndex(string walDirectory, string directory, ChainBlock genesis, HistoryChunk[] chunks)
    {
        _walDirectory = walDirectory;
        Directory = directory;
        _genesis = genesis;
        _chunks = chunks;
    }

    public string Directory { get; }

    public string WalDirectory => _walDirectory;

    public IReadOnlyList<HistoryChunk> Chunks => Volatile.Read(ref _chunks);

    /// <summary>Sequences below this are indexed on disk.</summary>
    public long IndexedEnd => Volatile.Read(ref _chunks) is { Length: > 0 } c ? c[^1].End : 0;

    /// <summary>Blocks below this (and above genesis) are indexed on disk.</summary>
    public ulong IndexedBlockEnd => Volatile.Read(ref _chunks) is { Length: > 0 } c ? c[^1].EndBlock : 1;

    /// <summary>
    /// Opens the chunks in <paramref name="directory"/> whose headers read back: the run from sequence 0 without a gap.
    /// Files that are not part of it (a damaged header, after a gap, a temporary file of a crashed write) are deleted:
    /// they are derived data and get rebuilt.
    /// </summary>
    public static HistoryIndex Open(string walDirectory, string directory, ChainBlock genesis)
    {
        System.IO.Directory.CreateDirectory(directory);
        var found = new List<HistoryChunk>();
        foreach (var path in System.IO.Directory.EnumerateFiles(directory))
        {
            if (path.EndsWith(HistoryChunk.Extension, StringComparison.Ordinal) && HistoryChunk.TryOpen(path) is { } chunk)
            {
                found.Add(chunk);
            }
            else if (path.EndsWith(HistoryChunk.Extension, StringComparison.Ordinal) || path.EndsWith(".tmp", StringComparison.Ordinal))
            {
                File.Delete(path);
            }
        }

        // Widest first at the same start: after a crash between a merge and the deletion of the chunks it replaced,
        // the merged chunk continues the run and the smaller ones it covers are deleted.
        found.Sort(static (a, b) => a.First != b.First ? a.First.CompareTo(b.First) : b.End.CompareTo(a.End));
        var run = new List<HistoryChunk>();
        foreach (var chunk in found)
        {
            var expected = run.Count == 0 ? 0 : run[^1].End;
            var expectedBlock = run.Count == 0 ? 1UL : run[^1].EndBlock;
            if (chunk.First == expected && chunk.FirstBlock == expectedBlock)
            {
                run.Add(chunk);
            }
            else
            {
                File.Delete(chunk.Path);
            }
        }

        return new HistoryIndex(walDirectory, directory, genesis, [.. run]);
    }

    /// <summary>Where the next chunk starts and the block before it.</summary>
    public (LogPosition Start, ChainBlock Previous) NextStart()
    {
        var chunks = Volatile.Read(ref _chunks);
        return chunks.Length == 0 ? (NextStartOfEmpty(), _genesis) : (chunks[^1].EndPosition, chunks[^1].ReadLastBlock());
    }

    /// <summary>The first record of the log.</summary>
    public LogPosition NextStartOfEmpty()
    {
        var segments = WalSegments.List(_walDirectory);
        return new LogPosition(0, segments.Count > 0 ? segments[0].FirstSequence : 0, 0, -1);
    }

    /// <summary>Indexer only: a chunk that continues the run.</summary>
    public void Append(HistoryChunk chunk)
    {
        var chunks = Volatile.Read(ref _chunks);
        if (chunk.First != IndexedEnd)
        {
            throw new InvalidOperationException($"history chunk {chunk.Path} does not continue the index at {IndexedEnd}");
        }

        Volatile.Write(ref _chunks, [.. chunks, chunk]);
    }

    /// <summary>Indexer only: a rebuilt chunk takes the place of the damaged one with the same range.</summary>
    public void Replace(HistoryChunk chunk)
    {
        var chunks = (HistoryChunk[])Volatile.Read(ref _chunks).Clone();
        var i = Array.FindIndex(chunks, c => c.First == chunk.First);
        chunks[i] = chunk;
        Volatile.Write(ref _chunks, chunks);
    }

    /// <summary>
    /// Indexer only: one chunk takes the place of the <paramref name="count"/> chunks from <paramref name="index"/> on,
    /// whose range it covers exactly (a merge). Returns the chunks it replaced; their files are the caller's to delete
    /// once no reader can still hold them.
    /// </summary>
    public HistoryChunk[] ReplaceRun(int index, int count, HistoryChunk merged)
    {
        var chunks = Volatile.Read(ref _chunks);
        if (merged.First != chunks[index].First || merged.End != chunks[index + count - 1].End)
        {
            throw new InvalidOperationException($"history chunk {merged.Path} does not cover the chunks it replaces");
        }

        Volatile.Write(ref _chunks, [.. chunks.AsSpan(0, index), merged, .. chunks.AsSpan(index + count)]);
        return chunks.AsSpan(index, count).ToArray();
    }

    /// <summary>At recovery: drops chunks that reach past the end of the log (after an operator cut the log).</summary>
    public void DropFrom(long logEnd)
    {
        var chunks = Volatile.Read(ref _chunks);
        var keep = chunks.TakeWhile(c => c.End <= logEnd).ToArray();
        foreach (var chunk in chunks.Skip(keep.Length))
        {
            File.Delete(chunk.Path);
        }

        Volatile.Write(ref _chunks, keep);
    }

    public SequencedTransaction? ReadTransaction(long sequence)
    {
        var chunk = ChunkOf(sequence);
        if (chunk is null)
        {
            return null;
        }

        var (segment, offset) = chunk.ReadPosition(sequence);
        return ReadRecord(segment, offset, sequence, null);
    }

    public SequencedTransaction? FindTransaction(Hash32 hash)
    {
        var chunks = Volatile.Read(ref _chunks);
        var candidates = new List<long>(1);
        for (var i = chunks.Length - 1; i >= 0; i--)
        {
            candidates.Clear();
            chunks[i].FindTransaction(hash, candidates);
            foreach (var sequence in candidates)
            {
                if (sequence >= chunks[i].First && sequence < chunks[i].End)
                {
                    var (segment, offset) = chunks[i].ReadPosition(sequence);
                    if (ReadRecord(segment, offset, sequence, hash) is { } tx)
                    {
                        return tx;
                    }
                }
            }
        }

        return null;
    }

    public ChainBlock? ReadBlock(ulong number)
    {
        var chunks = Volatile.Read(ref _chunks);
        int lo = 0, hi = chunks.Length - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            if (number < chunks[mid].FirstBlock)
            {
                hi = mid - 1;
            }
            else if (number >= chunks[mid].EndBlock)
            {
                lo = mid + 1;
            }
            else
            {
                return chunks[mid].ReadBlock(number);
            }
        }

        return null;
    }

    public ChainBlock? FindBlock(Hash32 hash)
    {
        var chunks = Volatile.Read(ref _chunks);
        for (var i = chunks.Length - 1; i >= 0; i--)
        {
            if (chunks[i].FindBlock(hash) is { } number && chunks[i].ReadBlock(number) is { } block && block.Hash == hash)
            {
                return block;
            }
        }

        return null;
    }

    private HistoryChunk? ChunkOf(long sequence)
    {
        var chunks = Volatile.Read(ref _chunks);
        int lo = 0, hi = chunks.Length - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            if (sequence < chunks[mid].First)
            {
                hi = mid - 1;
            }
            else if (sequence >= chunks[mid].End)
            {
                lo = mid + 1;
            }
            else
            {
                return chunks[mid];
            }
        }

        return null;
    }

    /// <summary>Reads one record and checks it is the one asked for (sequence, and hash when given).</summary>
    private SequencedTransaction? ReadRecord(long segment, long offset, long sequence, Hash32? expectedHash)
    {
        try
        {
            using var reader = new WalSegmentReader(_walDirectory, segment, offset, singleRecord: true);
            if (!reader.TryNext(out _, out var payload) || !TxLogRecord.TryRead(payload, out var record, out var raw) || record.Sequence != sequence)
            {
                return null;
            }

            var hash = Keccak.Hash(raw);
            if (expectedHash is { } expected && expected != hash)
            {
                return null;
            }

            return new SequencedTransaction(record.Sequence, hash, raw.ToArray(), record.Sender, record.Nonce, record.GasLimit,
                record.BlockNumber, record.Index, record.Timestamp, record.Accumulator);
        }
        catch (Exception ex) when (ex is IOException or WalCorruptedException)
        {
            return null;
        }
    }
}
