using BenchmarkDotNet.Running;
using Sequencer.Benchmarks.BlockShare;

namespace Sequencer.Benchmarks;

public static class BenchmarkEntry
{
    /// <summary>
    /// <c>blockshare [blocks] [identities] [inFlight] [paidSenders]</c> runs <see cref="BlockShareLoad"/> (bench/block-share.sh);
    /// <c>core-ceiling</c> is a timed run (<see cref="CoreCeiling"/>, called by bench/perf.sh); anything else goes to
    /// BenchmarkDotNet.
    /// </summary>
    public static async Task<int> Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "blockshare")
        {
            await BlockShareLoad.RunAsync(BlockShareSettings.Parse(args));
            return 0;
        }

        if (args.Length > 0 && args[0] == "core-ceiling")
        {
            return await CoreCeiling.RunAsync(args).ConfigureAwait(false);
        }

        BenchmarkSwitcher.FromAssembly(typeof(BenchmarkEntry).Assembly).Run(args);
        return 0;
    }
}
