using System.Globalization;
using Primitives;
using Sequencer.History;

namespace Sequencer.Benchmarks.BlockShare;

/// <summary>Reads the sealed blocks for the sponsored share and prints a run's figures.</summary>
internal static class BlockShareReport
{
    public static BlockShares Shares(ChainStore store, HashSet<Address> sponsored, ulong first, ulong last)
    {
        var perBlock = new List<double>();
        ulong sponsoredGas = 0, totalGas = 0;
        var full = 0;
        for (var number = first; number <= last; number++)
        {
            var block = store.GetBlock(number)!;
            ulong blockSponsored = 0;
            for (var s = block.FirstSequence; s < block.FirstSequence + block.TransactionCount; s++)
            {
                var tx = store.GetSequenced(s)!;
                blockSponsored += sponsored.Contains(tx.Sender) ? tx.GasLimit : 0;
            }

            full += block.GasUsed == block.GasLimit ? 1 : 0;
            perBlock.Add(block.GasUsed == 0 ? 0 : 100.0 * blockSponsored / block.GasUsed);
            sponsoredGas += blockSponsored;
            totalGas += block.GasUsed;
        }

        return new BlockShares(perBlock, totalGas == 0 ? 0 : 100.0 * sponsoredGas / totalGas, full, first, last);
    }

    public static void Print(string label, BlockShareResult run, BlockShareSettings settings)
    {
        var shares = run.Shares;
        var blocks = shares.PerBlock.Count;
        shares.PerBlock.Sort();
        run.LatenciesMs.Sort();
        var depthSum = 0L;
        var depthMax = 0;
        foreach (var depth in run.QueueDepths)
        {
            depthSum += depth;
            depthMax = Math.Max(depthMax, depth);
        }

        var c = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Format(c,
            "{0}: blocks {1}-{2} ({3} blocks, {4} full, {5:0.0} s): sponsored share of gas {6:0.00} % (per block min {7:0.0} %, median {8:0.0} %, max {9:0.0} %)",
            label, shares.FirstBlock, shares.LastBlock, blocks, shares.Full, run.Seconds, shares.Overall,
            shares.PerBlock[0], Percentile(shares.PerBlock, 50), shares.PerBlock[^1]));
        Console.WriteLine(string.Format(c,
            "{0}: sponsored confirmation latency p50 {1:0.0} ms, p99 {2:0.0} ms, max {3:0.0} ms over {4} confirmed ({5} identities x {6} in flight)",
            label, Percentile(run.LatenciesMs, 50), Percentile(run.LatenciesMs, 99), run.LatenciesMs[^1], run.LatenciesMs.Count,
            settings.Identities, settings.InFlight));
        Console.WriteLine(string.Format(c,
            "{0}: paid flood queued {1:0} tx/s, refused 'busy' {2:0}/s; queue depth (both lanes) mean {3:0}, max {4} (QueueCapacity {5} a lane)",
            label, run.PaidQueuedPerSecond, run.PaidBusyPerSecond, run.QueueDepths.Count == 0 ? 0 : (double)depthSum / run.QueueDepths.Count,
            depthMax, settings.QueueCapacity));
    }

    /// <summary>Nearest-rank percentile of sorted values.</summary>
    private static double Percentile(List<double> sorted, int percent)
    {
        var rank = (int)Math.Ceiling(percent / 100.0 * sorted.Count);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
    }
}
