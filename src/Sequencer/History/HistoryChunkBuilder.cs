using Sequencer.Log;
using Primitives;
using Primitives.Chain;
using Sequencer.Chain;

namespace Sequencer.History;

/// <summary>What building a chunk produced: the chunk and the state at its end (where the next chunk starts).</summary>
internal sealed record ChunkBuild(HistoryChunk Chunk, ChainBlock LastBlock, LogPosition End, long Bytes);

/// <summary>
/// Builds a history chunk from the log alone: reads the records from a position on, re-derives their hashes,
/// accumulators and the blocks (same rules as recovery, same block hashes), and writes the chunk. The one code path
/// for the live indexer and for rebuilding a missing or damaged chunk.
/// </summary>
internal static class HistoryChunkBuilder
{
    /// <summary>Memory the window counts per transaction besides its raw bytes (object, hash map entry, signature).</summary>
    public const int OverheadBytes = 320;

    /// <param name="walDirectory">The log.</param>
    /// <param name="historyDirectory">Where the chunk goes.</param>
    /// <param name="start">The first record of the chunk (a block's first).</param>
    /// <param name="previous">The block before it (genesis at the start of the log).</param>
    /// <param name="limit">Records from here on are not read (a block boundary no later than the published end).</param>
    /// <param name="maxRecords">The chunk ends at the first block boundary at or after this many records…</param>
    /// <param name="maxBytes">…or this many bytes (raw plus <see cref="OverheadBytes"/> each).</param>
    /// <param name="gasLimit">The block gas limit blocks are hashed with.</param>
    /// <param name="fsync">False only in throwaway benchmarks.</param>
    /// <returns>Null when there is nothing to index.</returns>
    public static ChunkBuild? Build(
        string walDirectory, string historyDirectory, LogPosition start, ChainBlock previous, long limit, long maxRecords, long maxBytes, ulong gasLimit, bool fsync)
    {
        if (start.Sequence >= limit)
        {
            return null;
        }

        using var reader = new WalSegmentReader(walDirectory, start.Segment, start.Offset);
        var hashes = new List<Hash32>();
        var positions = new List<(long, long)>();
        var blocks = new List<ChainBlock>();
        var blockHashes = new List<Hash32>();
        var sequence = start.Sequence;
        var accumulator = previous.Accumulator;
        var lastWriteEnd = start.LastWriteEnd;
        long bytes = 0;
        ChainBlock? open = null;
        (long Segment, long Offset) endPosition;
        while (true)
        {
            endPosition = (reader.Segment, reader.Offset);
            if (sequence == limit)
            {
                break;
            }

            if (!reader.TryNext(out var header, out var payload))
            {
                throw new WalCorruptedException($"write-ahead log ends at sequence {sequence}, before {limit} (history index)");
            }

            if (!TxLogRecord.TryRead(payload, out var record, out var raw) || record.Sequence != sequence)
            {
                throw new WalCorruptedException($"write-ahead log segment {reader.SegmentPath}: expected sequence {sequence} (history index)");
            }

            if (open is not null && record.BlockNumber != open.Number)
            {
                previous = Close(open, blockHashes, blocks);
                open = null;
                if (hashes.Count >= maxRecords || bytes >= maxBytes)
                {
                    break;
                }
            }

            if (open is null)
            {
                // Empty blocks (not logged): rebuilt from their parents, with the hashes they were published with.
                while (record.Index == 0 && record.BlockNumber > previous.Number + 1)
                {
                    previous = Sequencing.BlockAssembler.EmptyAfter(previous, gasLimit);
                    blocks.Add(previous);
                }

                if (record.BlockNumber != previous.Number + 1 || record.Index != 0)
                {
                    throw new WalCorruptedException($"write-ahead log: sequence {sequence} is in block {record.BlockNumber} at index {record.Index}, expected block {previous.Number + 1} at index 0");
                }

                open = new ChainBlock(record.BlockNumber, record.Timestamp, previous.Hash, sequence) { GasLimit = gasLimit };
            }

            if (record.Index != open.TransactionCount)
            {
                throw new WalCorruptedException($"write-ahead log: sequence {sequence} does not continue block {record.BlockNumber}");
            }

            var hash = Keccak.Hash(raw);
            accumulator = Accumulator.Next(accumulator, hash);
            if (accumulator != record.Accumulator)
            {
                throw new WalCorruptedException($"write-ahead log: accumulator mismatch at sequence {sequence}");
            }

            hashes.Add(hash);
            blockHashes.Add(hash);
            positions.Add(endPosition);
            open.TransactionCount++;
            open.GasUsed += record.GasLimit;
            open.Accumulator = accumulator;
            bytes += raw.Length + OverheadBytes;
            lastWriteEnd = header.WriteEnd;
            sequence++;
        }

        if (open is not null)
        {
            previous = Close(open, blockHashes, blocks);
        }

        var end = new LogPosition(start.Sequence + hashes.Count, endPosition.Segment, endPosition.Offset, lastWriteEnd);
        var chunk = HistoryChunkWriter.Write(historyDirectory, start.Sequence,
            System.Runtime.InteropServices.CollectionsMarshal.AsSpan(hashes),
            System.Runtime.InteropServices.CollectionsMarshal.AsSpan(positions), blocks, end, fsync);
        return new ChunkBuild(chunk, previous, end, bytes);
    }

    private static ChainBlock Close(ChainBlock block, List<Hash32> hashes, List<ChainBlock> blocks)
    {
        block.TransactionsHash = BlockHeader.ComputeTransactionsHash(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(hashes));
        block.Hash = BlockHeader.ComputeHash(block);
        block.IsSealed = true;
        hashes.Clear();
        blocks.Add(block);
        return block;
    }
}
