using BenchmarkDotNet.Attributes;
using Batcher.Options;
using Batcher.Pipeline;
using DaClient.Local;
using Microsoft.Extensions.Logging.Abstractions;
using Primitives.Chain;

namespace Batcher.Benchmarks;

/// <summary>
/// The whole batcher with L1 posting off: 64,000 sealed transactions (11,594,144 raw transaction bytes: the 16,000-transaction
/// mix four times over, renumbered) → batches → the local DA store (files, with or without fsync) → journal and
/// checkpoint (always fsynced). MB/s = raw bytes / mean. Enough batches per iteration that the last one,
/// which only its maximum age (10 ms) can close, does not dominate.
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class PipelineBenchmarks
{
    private const int Repeats = 4;

    private MemorySource _source = null!;
    private string _directory = "";

    [Params(true, false)]
    public bool Fsync { get; set; }

    [Params(1_000_000, 4_000_000)]
    public int MaxBatchBytes { get; set; }

    /// <summary>Raw transaction bytes per iteration (the signed envelopes, nothing else), the MB/s numerator.</summary>
    public long RawBytes { get; private set; }

    [GlobalSetup]
    public void Setup()
    {
        var blocks = Repeat(TransactionMix.Blocks(16_000), Repeats);
        _source = new MemorySource(blocks);
        RawBytes = blocks.Sum(b => b.Transactions.Sum(t => (long)t.Length));
    }

    [IterationSetup]
    public void NewDirectory() => _directory = Directory.CreateTempSubdirectory("batcher-bench-").FullName;

    [IterationCleanup]
    public void DeleteDirectory() => Directory.Delete(_directory, true);

    [Benchmark]
    public async Task BatchEverythingToLocalDa()
    {
        var options = new BatcherOptions { ChainId = TransactionMix.ChainId, MaxBatchBytes = MaxBatchBytes, MaxBatchAgeMs = 10 };
        var status = new BatcherStatus();
        using var metrics = new BatcherMetrics(status);
        using var pipeline = new BatcherPipeline(options, _directory, _source, new LocalDaStore(Path.Combine(_directory, "da"), Fsync), status, metrics, TimeProvider.System, NullLogger.Instance);
        using var stop = new CancellationTokenSource();
        var run = pipeline.RunAsync(stop.Token);
        while (status.NextBlock <= _source.LatestSealedNumber)
        {
            await Task.Delay(1);
        }

        await stop.CancelAsync();
        await run;
    }

    /// <summary>The same blocks again after themselves, with block numbers and sequence numbers continued.</summary>
    private static List<SealedBlock> Repeat(IReadOnlyList<SealedBlock> blocks, int times)
    {
        var result = new List<SealedBlock>(blocks.Count * times);
        ulong sequence = 0;
        for (var round = 0; round < times; round++)
        {
            foreach (var block in blocks)
            {
                result.Add(block with { Number = (ulong)result.Count + 1, FirstSequence = sequence });
                sequence += (ulong)block.Transactions.Count;
            }
        }

        return result;
    }

    /// <summary>All blocks sealed up front; the last batch closes because no further block exists after the 10 ms max age.</summary>
    private sealed class MemorySource(IReadOnlyList<SealedBlock> blocks) : ISealedBlockSource
    {
        public ulong LatestSealedNumber => (ulong)blocks.Count;

        public SealedBlock? GetSealedBlock(ulong number) => number >= 1 && number <= (ulong)blocks.Count ? blocks[(int)number - 1] : null;

        public ValueTask WaitForSealedBlockAsync(ulong number, CancellationToken cancellationToken) =>
            number <= (ulong)blocks.Count ? ValueTask.CompletedTask : new ValueTask(Task.Delay(Timeout.Infinite, cancellationToken));
    }
}
