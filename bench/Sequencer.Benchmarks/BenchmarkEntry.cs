using BenchmarkDotNet.Running;
using Sequencer.Benchmarks.BlockShare;

namespace Sequencer.Benchmarks;

public static class BenchmarkEntry
{
    /// <summary>
    /// <c>blockshare [blocks] [identities] [inFlight] [paidSenders]</c> runs <see cref="BlockShareLoad"/> (bench/block-share.sh);
    /// anything else goes to BenchmarkDotNet.
    /// </summary>
    public static async Task Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "blockshare")
        {
            await BlockShareLoad.RunAsync(BlockShareSettings.Parse(args));
            return;
        }

        BenchmarkSwitcher.FromAssembly(typeof(BenchmarkEntry).Assembly).Run(args);
    }
}
