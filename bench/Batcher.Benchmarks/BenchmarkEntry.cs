using BenchmarkDotNet.Running;

namespace Batcher.Benchmarks;

public static class BenchmarkEntry
{
    /// <summary>`sizes` prints one pass of every codec (size and ratio); anything else goes to BenchmarkDotNet.</summary>
    public static void Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "sizes")
        {
            CompressionSizes.Print();
            return;
        }

        BenchmarkSwitcher.FromAssembly(typeof(BenchmarkEntry).Assembly).Run(args);
    }
}
