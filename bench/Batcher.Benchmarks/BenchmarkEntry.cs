using BenchmarkDotNet.Running;

namespace Batcher.Benchmarks;

public static class BenchmarkEntry
{
    /// <summary>`sizes` prints one pass of every codec (size and ratio); anything else goes to BenchmarkDotNet.</summary>
    public static async Task Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "sizes")
        {
            CompressionSizes.Print();
            return;
        }

        if (args.Length > 0 && args[0] == "pipeline-loop")
        {
            // A steady target for a sampling profiler (perf record with DOTNET_PerfMapEnabled=1).
            await PipelineLoopAsync(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 20);
            return;
        }

        BenchmarkSwitcher.FromAssembly(typeof(BenchmarkEntry).Assembly).Run(args);
    }

    /// <summary>Runs the pipeline benchmark (fsync on, 1 MB batches) over and over, printing MB/s per run.</summary>
    private static async Task PipelineLoopAsync(int runs)
    {
        var benchmark = new PipelineBenchmarks { Fsync = true, MaxBatchBytes = 1_000_000 };
        benchmark.Setup();
        Console.WriteLine($"{benchmark.RawBytes} raw bytes per run");
        for (var i = 0; i < runs; i++)
        {
            benchmark.NewDirectory();
            var process = System.Diagnostics.Process.GetCurrentProcess();
            var cpuBefore = process.TotalProcessorTime;
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            await benchmark.BatchEverythingToLocalDa();
            var elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(started);
            process.Refresh();
            var cpu = process.TotalProcessorTime - cpuBefore;
            benchmark.DeleteDirectory();

            // CPU time as well as wall time: on a shared machine the wall time depends on the neighbours.
            Console.WriteLine($"run {i}: {elapsed.TotalMilliseconds:F1} ms wall, {benchmark.RawBytes / elapsed.TotalSeconds / 1e6:F1} MB/s; "
                + $"{cpu.TotalMilliseconds:F1} ms CPU, {benchmark.RawBytes / cpu.TotalSeconds / 1e6:F1} MB per CPU-second");
        }
    }
}
