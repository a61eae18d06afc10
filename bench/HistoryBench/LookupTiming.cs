using System.Diagnostics;
using Primitives;
using Sequencer.History;
using Sequencer.Sequencing;

namespace HistoryBench;

/// <summary>
/// What a lookup by hash costs through the history index of a generated data directory: the cost side of a smaller
/// History:ChunkTransactions (more chunks for a lookup to probe). Times transactions that are there (random sequences
/// read back, then found by hash) and hashes that were never sequenced (every chunk probed, newest first).
/// </summary>
internal static class LookupTiming
{
    public static int Run(string dataDirectory, int count)
    {
        var history = HistoryIndex.Open(Path.Combine(dataDirectory, "wal"), Path.Combine(dataDirectory, "history"), BlockAssembler.CreateGenesis(0, 30_000_000));
        var random = new Random(7);
        var hashes = new Hash32[count];
        for (var i = 0; i < count; i++)
        {
            hashes[i] = history.ReadTransaction(random.NextInt64(history.IndexedEnd))!.Hash;
        }

        for (var round = 0; round < 2; round++)
        {
            var clock = Stopwatch.StartNew();
            var found = 0;
            foreach (var hash in hashes)
            {
                found += history.FindTransaction(hash) is null ? 0 : 1;
            }

            var foundMs = clock.Elapsed.TotalMilliseconds;
            clock.Restart();
            var bytes = new byte[32];
            for (var i = 0; i < count; i++)
            {
                random.NextBytes(bytes);
                found += history.FindTransaction(new Hash32(bytes)) is null ? 0 : 1_000_000;
            }

            Console.WriteLine($"{history.Chunks.Count} chunks: found by hash {foundMs * 1000 / count:F0} µs each ({found % 1_000_000} of {count}), " +
                $"never sequenced {clock.Elapsed.TotalMilliseconds * 1000 / count:F0} µs each ({found / 1_000_000} found)");
        }

        return 0;
    }
}
