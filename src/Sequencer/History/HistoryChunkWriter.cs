using System.Buffers.Binary;
using Primitives;
using Primitives.Storage;
using Sequencer.Chain;
using Sequencer.Log;

namespace Sequencer.History;

/// <summary>Lays out and writes one <see cref="HistoryChunk"/> file (the layout is described there).</summary>
internal static class HistoryChunkWriter
{
    /// <summary>Writes a chunk atomically (temporary file, fsync, rename, directory fsync) and opens it.</summary>
    public static HistoryChunk Write(
        string directory,
        long first,
        ReadOnlySpan<Hash32> hashes,
        ReadOnlySpan<(long Segment, long Offset)> positions,
        IReadOnlyList<ChainBlock> blocks,
        LogPosition end,
        bool fsync)
    {
        var count = hashes.Length;
        var blockCount = blocks.Count;
        var contentLength = HistoryChunk.FanoutBytes + (long)count * HistoryChunk.EntryBytes * 2 + (long)blockCount * (BlockRecord.Bytes + HistoryChunk.EntryBytes);
        var bytes = new byte[HistoryChunk.HeaderBytes + contentLength];
        var content = bytes.AsSpan(HistoryChunk.HeaderBytes);

        var keys = new ulong[count];
        var sequences = new long[count];
        for (var i = 0; i < count; i++)
        {
            keys[i] = HistoryChunk.KeyOf(hashes[i]);
            sequences[i] = first + i;
        }

        Array.Sort(keys, sequences);
        var fanout = content[..HistoryChunk.FanoutBytes];
        var entries = content.Slice(HistoryChunk.FanoutBytes, count * HistoryChunk.EntryBytes);
        var bucket = 0;
        for (var i = 0; i < count; i++)
        {
            var top = (int)(keys[i] >> 56);
            while (bucket <= top)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(fanout[(bucket++ * 4)..], (uint)i);
            }

            BinaryPrimitives.WriteUInt64LittleEndian(entries[(i * HistoryChunk.EntryBytes)..], keys[i]);
            BinaryPrimitives.WriteInt64LittleEndian(entries[(i * HistoryChunk.EntryBytes + 8)..], sequences[i]);
        }

        while (bucket <= 256)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(fanout[(bucket++ * 4)..], (uint)count);
        }

        var positionBytes = content.Slice(HistoryChunk.FanoutBytes + count * HistoryChunk.EntryBytes, count * HistoryChunk.EntryBytes);
        for (var i = 0; i < count; i++)
        {
            BinaryPrimitives.WriteInt64LittleEndian(positionBytes[(i * HistoryChunk.EntryBytes)..], positions[i].Segment);
            BinaryPrimitives.WriteInt64LittleEndian(positionBytes[(i * HistoryChunk.EntryBytes + 8)..], positions[i].Offset);
        }

        var blockBytes = content.Slice(HistoryChunk.FanoutBytes + count * HistoryChunk.EntryBytes * 2, blockCount * BlockRecord.Bytes);
        var blockKeys = new ulong[blockCount];
        var blockNumbers = new ulong[blockCount];
        for (var i = 0; i < blockCount; i++)
        {
            BlockRecord.Write(blocks[i], blockBytes.Slice(i * BlockRecord.Bytes, BlockRecord.Bytes));
            blockKeys[i] = HistoryChunk.KeyOf(blocks[i].Hash);
            blockNumbers[i] = blocks[i].Number;
        }

        Array.Sort(blockKeys, blockNumbers);
        var blockEntries = content[(HistoryChunk.FanoutBytes + count * HistoryChunk.EntryBytes * 2 + blockCount * BlockRecord.Bytes)..];
        for (var i = 0; i < blockCount; i++)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(blockEntries[(i * HistoryChunk.EntryBytes)..], blockKeys[i]);
            BinaryPrimitives.WriteUInt64LittleEndian(blockEntries[(i * HistoryChunk.EntryBytes + 8)..], blockNumbers[i]);
        }

        var header = bytes.AsSpan(0, HistoryChunk.HeaderBytes);
        BinaryPrimitives.WriteUInt32LittleEndian(header, HistoryChunk.Magic);
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], HistoryChunk.Version);
        BinaryPrimitives.WriteInt64LittleEndian(header[8..], first);
        BinaryPrimitives.WriteInt64LittleEndian(header[16..], first + count);
        BinaryPrimitives.WriteUInt64LittleEndian(header[24..], blocks[0].Number);
        BinaryPrimitives.WriteUInt64LittleEndian(header[32..], blocks[^1].Number + 1);
        BinaryPrimitives.WriteInt64LittleEndian(header[40..], end.Segment);
        BinaryPrimitives.WriteInt64LittleEndian(header[48..], end.Offset);
        BinaryPrimitives.WriteInt64LittleEndian(header[56..], end.LastWriteEnd);
        BinaryPrimitives.WriteInt64LittleEndian(header[64..], contentLength);
        BinaryPrimitives.WriteUInt32LittleEndian(header[72..], Crc32C.Compute(content));
        BinaryPrimitives.WriteUInt32LittleEndian(header[76..], Crc32C.Compute(header[..76]));

        var path = System.IO.Path.Combine(directory, HistoryChunk.FileName(first, first + count));
        AtomicFile.Write(path, bytes, fsync);
        return HistoryChunk.TryOpen(path) ?? throw new IOException($"history chunk {path} does not read back");
    }
}
