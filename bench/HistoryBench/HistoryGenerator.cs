using System.Diagnostics;
using Sequencer.History;
using Sequencer.Log;
using Primitives;
using Primitives.Chain;
using Sequencer.Sequencing;

namespace HistoryBench;

/// <summary>
/// Writes the data directory a sequencer leaves after <c>records</c> transactions: the log (through the real
/// <see cref="WriteAheadLog"/>, fsync off), the history chunks up to <c>records - tail</c> (through the real builder)
/// of <c>chunk</c> records and a checkpoint there, then <c>tail</c> more records that no chunk covers yet (the worst case
/// with the default bounds is History:ChunkTransactions; the indexer merges its chunks into chunks of five times that,
/// minus up to four small ones not merged yet, which this leaves out). Raw transactions are 110 random bytes (the size of a plain
/// EIP-1559 transfer); recovery hashes them and never decodes them.
/// </summary>
internal static class HistoryGenerator
{
    private const int PerBlock = 500;
    private const ulong GasLimit = 30_000_000;

    public static int Run(string dataDirectory, long records, long tail, long chunk, int senderCount)
    {
        var wal = Path.Combine(dataDirectory, "wal");
        var historyDirectory = Path.Combine(dataDirectory, "history");
        Directory.CreateDirectory(wal);
        var clock = Stopwatch.StartNew();
        var senders = new Address[senderCount];
        var nonces = new ulong[senderCount];
        for (var i = 0; i < senderCount; i++)
        {
            var bytes = new byte[Address.Length];
            System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(16), i + 1);
            senders[i] = new Address(bytes);
        }

        var random = new Random(42);
        var raw = new byte[110];
        var accumulator = Hash32.Zero;
        Exception? failure = null;
        using (var log = new WriteAheadLog(wal, 64L << 20, fsync: false, 0, _ => { }, ex => failure = ex))
        {
            for (long s = 0; s < records; s++)
            {
                random.NextBytes(raw);
                var hash = Keccak.Hash(raw);
                accumulator = Accumulator.Next(accumulator, hash);
                var sender = (int)(s % senderCount);
                var block = (ulong)(s / PerBlock) + 1;
                log.Append(new TxLogRecord(s, block, (uint)(s % PerBlock), 1_700_000_000 + block, nonces[sender]++, 21_000, senders[sender], accumulator), raw);
                if (s % 4096 == 4095 || s == records - 1)
                {
                    log.Commit();
                    while (log.DurableEndSequence < s + 1 && failure is null)
                    {
                        Thread.SpinWait(100);
                    }
                }
            }
        }

        Console.Error.WriteLine($"log: {records} records in {clock.Elapsed.TotalSeconds:F1} s");
        var genesis = BlockAssembler.CreateGenesis(0, GasLimit);
        var history = HistoryIndex.Open(wal, historyDirectory, genesis);
        var indexEnd = (records - tail) / PerBlock * PerBlock;
        ChainRecovery.IndexUpTo(history, indexEnd, chunk, 64L << 20, GasLimit, fsync: false);
        if (history.Chunks.Count > 0)
        {
            var last = history.Chunks[^1];
            var checkpointNonces = new List<KeyValuePair<Address, ulong>>();
            for (var i = 0; i < senderCount; i++)
            {
                // Nonces at the checkpoint: sender i sent every senderCount-th record from i on.
                var sent = indexEnd > i ? (ulong)((indexEnd - 1 - i) / senderCount + 1) : 0;
                if (sent > 0)
                {
                    checkpointNonces.Add(new(senders[i], sent));
                }
            }

            new Checkpoint(last.EndPosition, last.ReadLastBlock(), checkpointNonces).Write(historyDirectory, fsync: false);
        }

        Console.Error.WriteLine($"history: {history.Chunks.Count} chunks up to {history.IndexedEnd}, checkpoint there; {records - history.IndexedEnd} records after it; {clock.Elapsed.TotalSeconds:F1} s in all");
        return failure is null ? 0 : 1;
    }
}
