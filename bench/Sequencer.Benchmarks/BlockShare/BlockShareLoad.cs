using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Primitives;
using Sequencer.Options;
using Sequencer.Sequencing;
using Sequencer.Transactions;

namespace Sequencer.Benchmarks.BlockShare;

/// <summary>
/// The block-share benchmark (docs/block-share.md, docs/benchmarks.md): the sequencing core with the real write-ahead
/// log (fsync) and clock, block space made scarce by MinBlockIntervalMs, sponsored identities that each keep a few
/// transactions in flight (as app users' calls do), and, in the flood run, paid senders that keep their lane at its
/// limit and retry "busy". It prints the paid flood's rate and the queue, the sponsored share of the sealed blocks' gas
/// (overall, per-block minimum and median) and the sponsored confirmation latency, with the flood and without it.
/// Not covered: HTTP, JSON-RPC, admission and signing (the sponsored figures of bench/run.sh cover those).
/// </summary>
internal static class BlockShareLoad
{
    private const ulong Gas = 21_000;

    public static async Task RunAsync(BlockShareSettings settings)
    {
        Console.WriteLine($"block-share: blocks of {settings.TxPerBlock} x 21,000 gas every >= {settings.BlockIntervalMs} ms, sponsored share " +
            $"{settings.SponsoredPercent} %, cap per identity {settings.CapPercent} %, QueueCapacity {settings.QueueCapacity}; {settings.Identities} " +
            $"sponsored identities x {settings.InFlight} in flight; paid flood {settings.PaidSenders} senders; {settings.Blocks} blocks measured after {settings.Warmup}");
        var flood = await RunOnceAsync(settings, settings.PaidSenders);
        var quiet = await RunOnceAsync(settings, 0);
        BlockShareReport.Print("paid flood", flood, settings);
        BlockShareReport.Print("no flood", quiet, settings);
    }

    private static async Task<BlockShareResult> RunOnceAsync(BlockShareSettings settings, int paidSenders)
    {
        var directory = Directory.CreateTempSubdirectory("block-share-bench-").FullName;
        try
        {
            var options = new SequencerOptions
            {
                DataDirectory = directory,
                BlockGasLimit = Gas * (ulong)settings.TxPerBlock,
                MinBlockIntervalMs = settings.BlockIntervalMs,
                QueueCapacity = settings.QueueCapacity,
                QueueWaitMs = 20,
                EmptyBlockIntervalMs = 0,
            };
            using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
            using var dataDirectory = DataDirectoryLock.Acquire(directory);
            using var core = StandaloneCore.Create(options, dataDirectory, services.GetRequiredService<IMeterFactory>(), out var store,
                new LaneShares(settings.SponsoredPercent, settings.CapPercent));
            await core.StartAsync(CancellationToken.None);

            using var stop = new CancellationTokenSource();
            var counters = new LoadCounters();
            var sponsored = new HashSet<Address>();
            var producers = new List<Task>();
            var latencies = new List<double>[settings.Identities];
            for (var i = 0; i < settings.Identities; i++)
            {
                var sender = NewAddress();
                sponsored.Add(sender);
                var samples = latencies[i] = new List<double>();
                producers.Add(Task.Run(() => SponsoredAsync(core, sender, settings.InFlight, samples, stop.Token)));
            }

            for (var i = 0; i < paidSenders; i++)
            {
                var sender = NewAddress();
                producers.Add(Task.Run(() => FloodAsync(core, sender, counters, stop.Token)));
            }

            // Sample the queue while the measured blocks are sealed (bounded: a stuck core ends the run).
            var first = (ulong)settings.Warmup + 1;
            var last = first + (ulong)settings.Blocks - 1;
            var depths = new List<int>();
            var started = Stopwatch.GetTimestamp();
            var paidAtStart = 0L;
            var busyAtStart = 0L;
            while (store.LatestBlockNumber <= last)
            {
                if (Stopwatch.GetElapsedTime(started) > TimeSpan.FromMinutes(2))
                {
                    throw new TimeoutException($"only {store.LatestBlockNumber} blocks sealed in 2 minutes");
                }

                if (store.LatestBlockNumber < first)
                {
                    paidAtStart = Interlocked.Read(ref counters.PaidQueued);
                    busyAtStart = Interlocked.Read(ref counters.PaidBusy);
                    started = Stopwatch.GetTimestamp();
                }
                else
                {
                    depths.Add(core.QueueDepth);
                }

                await Task.Delay(10);
            }

            var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            var paidQueued = Interlocked.Read(ref counters.PaidQueued) - paidAtStart;
            var paidBusy = Interlocked.Read(ref counters.PaidBusy) - busyAtStart;
            await stop.CancelAsync();
            await Task.WhenAll(producers).WaitAsync(TimeSpan.FromMinutes(1));
            await core.StopAsync(CancellationToken.None).WaitAsync(TimeSpan.FromMinutes(1));

            var all = new List<double>();
            foreach (var samples in latencies)
            {
                all.AddRange(samples);
            }

            return new BlockShareResult(BlockShareReport.Shares(store, sponsored, first, last), all, depths,
                paidQueued / seconds, paidBusy / seconds, seconds);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>One identity's app traffic: up to <paramref name="inFlight"/> calls waiting, each timed from its first try to its confirmation.</summary>
    private static async Task SponsoredAsync(SequencerCore core, Address sender, int inFlight, List<double> latencies, CancellationToken stop)
    {
        using var slots = new SemaphoreSlim(inFlight, inFlight);
        var pending = new List<Task>();
        var nonce = 0UL;
        while (!stop.IsCancellationRequested)
        {
            await slots.WaitAsync(CancellationToken.None);
            var began = Stopwatch.GetTimestamp();
            SequencingRequest request;
            while (true)
            {
                request = new SequencingRequest(new Hash32(RandomNumberGenerator.GetBytes(Hash32.Length)), new byte[110], sender, nonce, Gas) { Lane = TxLane.Sponsored };
                var refused = await core.EnqueueAsync(request, CancellationToken.None);
                if (refused is null)
                {
                    break;
                }

                if (refused.Value.Rejection != SequencingRejection.QueueFull || stop.IsCancellationRequested)
                {
                    slots.Release();
                    await Task.WhenAll(pending);
                    return;
                }

                await Task.Delay(1, CancellationToken.None);
            }

            nonce++;
            pending.Add(TimeAsync(request, began, latencies, slots));
        }

        await Task.WhenAll(pending);
    }

    private static async Task TimeAsync(SequencingRequest request, long began, List<double> latencies, SemaphoreSlim slots)
    {
        var outcome = await request.Completion;
        if (outcome.Transaction is not null)
        {
            lock (latencies)
            {
                latencies.Add(Stopwatch.GetElapsedTime(began).TotalMilliseconds);
            }
        }

        slots.Release();
    }

    /// <summary>One paid sender's flood: the next transaction as soon as the last is queued; "busy" is retried with the same nonce.</summary>
    private static async Task FloodAsync(SequencerCore core, Address sender, LoadCounters counters, CancellationToken stop)
    {
        var nonce = 0UL;
        while (!stop.IsCancellationRequested)
        {
            var request = new SequencingRequest(new Hash32(RandomNumberGenerator.GetBytes(Hash32.Length)), new byte[110], sender, nonce, Gas) { Lane = TxLane.Paid };
            var refused = await core.EnqueueAsync(request, CancellationToken.None);
            if (refused is null)
            {
                Interlocked.Increment(ref counters.PaidQueued);
                nonce++;
            }
            else if (refused.Value.Rejection == SequencingRejection.QueueFull)
            {
                Interlocked.Increment(ref counters.PaidBusy);
                await Task.Delay(1, CancellationToken.None);
            }
            else
            {
                return;
            }
        }
    }

    private static Address NewAddress() => new(RandomNumberGenerator.GetBytes(Address.Length));

    private sealed class LoadCounters
    {
        public long PaidQueued;
        public long PaidBusy;
    }
}
