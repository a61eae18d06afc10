using System.Buffers.Binary;
using System.Globalization;
using Sequencer.Log;
using Primitives;
using Sequencer.Chain;

namespace Sequencer.History;

/// <summary>
/// One immutable file of the on-disk history index, covering the whole blocks of a sequence range: transaction hash →
/// sequence (sorted, with a 256-way fan-out on the first byte), sequence → (segment, offset) of its log record, the
/// block headers, and block hash → number (sorted). Lookups read a few small ranges with positioned reads; nothing of
/// a chunk stays in memory but its header.
/// </summary>
/// <remarks>
/// <para>Layout (little-endian): a 96-byte header (<see cref="HeaderBytes"/>), then the fan-out (257 × u32), the
/// transaction entries (n × [u64 first 8 hash bytes big-endian, i64 sequence]) sorted, the record positions
/// (n × [i64 segment, i64 offset]) in sequence order, the block headers (m × <see cref="BlockRecord.Bytes"/>) in
/// number order, and the block entries (m × [u64 hash key, u64 number]) sorted.</para>
/// <para>A chunk is derived data: it is rebuilt from the log when it is missing or damaged, and every answer read
/// through it is checked against what it points to (a transaction's record and hash, a block's recomputed hash), so
/// damage can make a lookup miss until the rebuild, never answer wrong.</para>
/// </remarks>
internal sealed class HistoryChunk
{
    public const int HeaderBytes = 96;
    public const string Extension = ".idx";
    internal const uint Magic = 0x49485153; // "SQHI"
    internal const uint Version = 1;
    internal const int FanoutBytes = 257 * 4;
    internal const int EntryBytes = 16;

    private HistoryChunk(string path, long first, long end, ulong firstBlock, ulong endBlock, LogPosition endPosition, long contentLength, uint contentCrc)
    {
        Path = path;
        First = first;
        End = end;
        FirstBlock = firstBlock;
        EndBlock = endBlock;
        EndPosition = endPosition;
        ContentLength = contentLength;
        ContentCrc = contentCrc;
    }

    public string Path { get; }

    public long First { get; }

    public long End { get; }

    public ulong FirstBlock { get; }

    public ulong EndBlock { get; }

    public LogPosition EndPosition { get; }

    private long ContentLength { get; }

    private uint ContentCrc { get; }

    private long Count => End - First;

    private long EntriesAt => HeaderBytes + FanoutBytes;

    private long PositionsAt => EntriesAt + Count * EntryBytes;

    private long BlocksAt => PositionsAt + Count * EntryBytes;

    private long BlockEntriesAt => BlocksAt + (long)(EndBlock - FirstBlock) * BlockRecord.Bytes;

    public static string FileName(long first, long end) =>
        first.ToString("D20", CultureInfo.InvariantCulture) + "-" + end.ToString("D20", CultureInfo.InvariantCulture) + Extension;

    /// <summary>The hash key the entries are sorted by: the first 8 bytes, big-endian (so the top byte picks the fan-out bucket).</summary>
    public static ulong KeyOf(Hash32 hash) => BinaryPrimitives.ReadUInt64BigEndian(hash.Bytes);

    /// <summary>Reads and checks the header; null if the file is not a whole, valid chunk header.</summary>
    public static HistoryChunk? TryOpen(string path)
    {
        Span<byte> header = stackalloc byte[HeaderBytes];
        try
        {
            using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            if (RandomAccess.Read(handle, header, 0) != HeaderBytes)
            {
                return null;
            }

            var length = RandomAccess.GetLength(handle);
            if (BinaryPrimitives.ReadUInt32LittleEndian(header) != Magic
                || BinaryPrimitives.ReadUInt32LittleEndian(header[4..]) != Version
                || BinaryPrimitives.ReadUInt32LittleEndian(header[76..]) != Crc32C.Compute(header[..76]))
            {
                return null;
            }

            var chunk = new HistoryChunk(
                path,
                BinaryPrimitives.ReadInt64LittleEndian(header[8..]),
                BinaryPrimitives.ReadInt64LittleEndian(header[16..]),
                BinaryPrimitives.ReadUInt64LittleEndian(header[24..]),
                BinaryPrimitives.ReadUInt64LittleEndian(header[32..]),
                new LogPosition(
                    BinaryPrimitives.ReadInt64LittleEndian(header[16..]),
                    BinaryPrimitives.ReadInt64LittleEndian(header[40..]),
                    BinaryPrimitives.ReadInt64LittleEndian(header[48..]),
                    BinaryPrimitives.ReadInt64LittleEndian(header[56..])),
                BinaryPrimitives.ReadInt64LittleEndian(header[64..]),
                BinaryPrimitives.ReadUInt32LittleEndian(header[72..]));
            var expectedContent = chunk.BlockEntriesAt + (long)(chunk.EndBlock - chunk.FirstBlock) * EntryBytes - HeaderBytes;
            return chunk.End > chunk.First && chunk.EndBlock > chunk.FirstBlock && chunk.ContentLength == expectedContent
                && length == HeaderBytes + expectedContent
                && System.IO.Path.GetFileName(path) == FileName(chunk.First, chunk.End)
                ? chunk
                : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>Reads the whole file and checks the content checksum (the header was checked on open).</summary>
    public bool VerifyContent()
    {
        try
        {
            var bytes = File.ReadAllBytes(Path);
            return bytes.Length == HeaderBytes + ContentLength && Crc32C.Compute(bytes.AsSpan(HeaderBytes)) == ContentCrc;
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>Where the record of <paramref name="sequence"/> (in this chunk) is in the log.</summary>
    public (long Segment, long Offset) ReadPosition(long sequence)
    {
        Span<byte> entry = stackalloc byte[EntryBytes];
        ReadExactly(entry, PositionsAt + (sequence - First) * EntryBytes);
        return (BinaryPrimitives.ReadInt64LittleEndian(entry), BinaryPrimitives.ReadInt64LittleEndian(entry[8..]));
    }

    /// <summary>Sequences whose hash starts like <paramref name="hash"/> (almost always one, or none).</summary>
    public void FindTransaction(Hash32 hash, List<long> candidates)
    {
        var key = KeyOf(hash);
        var top = (int)(key >> 56);
        using var handle = OpenRead();
        Span<byte> bounds = stackalloc byte[8];
        ReadExactly(handle, bounds, HeaderBytes + top * 4L);
        var from = BinaryPrimitives.ReadUInt32LittleEndian(bounds);
        var to = BinaryPrimitives.ReadUInt32LittleEndian(bounds[4..]);
        if (to <= from || to > Count)
        {
            return;
        }

        var bucket = new byte[(to - from) * EntryBytes];
        ReadExactly(handle, bucket, EntriesAt + from * (long)EntryBytes);
        int lo = 0, hi = (int)(to - from) - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            var probe = BinaryPrimitives.ReadUInt64LittleEndian(bucket.AsSpan(mid * EntryBytes));
            if (probe < key)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        for (var i = lo; i < to - from && BinaryPrimitives.ReadUInt64LittleEndian(bucket.AsSpan(i * EntryBytes)) == key; i++)
        {
            candidates.Add(BinaryPrimitives.ReadInt64LittleEndian(bucket.AsSpan(i * EntryBytes + 8)));
        }
    }

    /// <summary>The header of block <paramref name="number"/> (in this chunk), or null if it does not read back with its own hash.</summary>
    public ChainBlock? ReadBlock(ulong number)
    {
        Span<byte> record = stackalloc byte[BlockRecord.Bytes];
        ReadExactly(record, BlocksAt + (long)(number - FirstBlock) * BlockRecord.Bytes);
        var block = BlockRecord.Read(record);
        return block.Number == number && BlockHeader.ComputeHash(block) == block.Hash ? block : null;
    }

    /// <summary>The number of the block whose hash starts like <paramref name="hash"/>, if one in this chunk does.</summary>
    public ulong? FindBlock(Hash32 hash)
    {
        var key = KeyOf(hash);
        using var handle = OpenRead();
        Span<byte> entry = stackalloc byte[EntryBytes];
        long lo = 0, hi = (long)(EndBlock - FirstBlock) - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            ReadExactly(handle, entry, BlockEntriesAt + mid * EntryBytes);
            var probe = BinaryPrimitives.ReadUInt64LittleEndian(entry);
            if (probe == key)
            {
                return BinaryPrimitives.ReadUInt64LittleEndian(entry[8..]);
            }

            if (probe < key)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return null;
    }

    /// <summary>The last block of the chunk, as written (no hash check: the caller builds on it and checks the chain).</summary>
    public ChainBlock ReadLastBlock()
    {
        Span<byte> record = stackalloc byte[BlockRecord.Bytes];
        ReadExactly(record, BlocksAt + (long)(EndBlock - 1 - FirstBlock) * BlockRecord.Bytes);
        return BlockRecord.Read(record);
    }

    private Microsoft.Win32.SafeHandles.SafeFileHandle OpenRead() =>
        File.OpenHandle(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);

    private void ReadExactly(Span<byte> destination, long offset)
    {
        using var handle = OpenRead();
        ReadExactly(handle, destination, offset);
    }

    private static void ReadExactly(Microsoft.Win32.SafeHandles.SafeFileHandle handle, Span<byte> destination, long offset)
    {
        var done = 0;
        while (done < destination.Length)
        {
            var read = RandomAccess.Read(handle, destination[done..], offset + done);
            if (read == 0)
            {
                throw new IOException("history chunk shorter than its header says");
            }

            done += read;
        }
    }
}
