using BenchmarkDotNet.Running;

namespace Sequencer.Benchmarks;

public static class BenchmarkEntry
{
    // `core-ceiling` is a timed run (CoreCeiling), not a BenchmarkDotNet class: bench/perf.sh calls it.
    public static async Task<int> Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "core-ceiling")
        {
            return await CoreCeiling.RunAsync(args).ConfigureAwait(false);
        }

        BenchmarkSwitcher.FromAssembly(typeof(BenchmarkEntry).Assembly).Run(args);
        return 0;
    }
}
