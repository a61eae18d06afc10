using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Primitives;
using Sequencer.Chain;
using Sequencer.Log;
using Sequencer.Options;
using Sequencer.Sequencing;

namespace Sequencer.Benchmarks;

/// <summary>
/// The ceiling of the core alone, timed (not BenchmarkDotNet): pre-decoded transactions whose senders are already known
/// (what an ingress tier that decodes, recovers and admits would forward) go straight into <see cref="SequencerCore"/>
/// from many concurrent submitters, through the real write-ahead log (fsync on, as in production), optionally with the
/// soft confirmation signed as the RPC module signs it. No HTTP, JSON, decoding or recovery.
///   Sequencer.Benchmarks core-ceiling [--transactions N] [--concurrency C] [--senders S] [--json FILE]
/// Prints one line per variant: WAL only, WAL + signing, and the in-memory log (the core without a disk).
/// </summary>
internal static class CoreCeiling
{
    // Some confirmed transactions of the run, for StageTimings' signing stage.
    private static readonly List<SequencedTransaction> Sample = [];

    public static async Task<int> RunAsync(string[] args)
    {
        int transactions = 200_000, concurrency = 256, senders = 4_096;
        string? json = null;
        for (var i = 1; i < args.Length; i++)
        {
            var value = args[Math.Min(i + 1, args.Length - 1)];
            switch (args[i++])
            {
                case "--transactions": transactions = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--concurrency": concurrency = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--senders": senders = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--json": json = value; break;
                default: await Console.Error.WriteLineAsync($"unknown option {args[i - 1]}").ConfigureAwait(false); return 2;
            }
        }

        foreach (var (label, inMemory, sign) in new[] { ("core + WAL (fsync)", false, false), ("core + WAL (fsync) + signing", false, true), ("core, in-memory log", true, false) })
        {
            var line = await RunOnceAsync(label, inMemory, sign, transactions, concurrency, senders).ConfigureAwait(false);
            await Console.Out.WriteLineAsync(line.Text).ConfigureAwait(false);
            if (json is not null)
            {
                await File.AppendAllTextAsync(json, line.Json + Environment.NewLine).ConfigureAwait(false);
            }
        }

        foreach (var (stage, microseconds) in await StageTimings.MeasureAsync(Sample, new SoftConfirmationSigner(SequencerKey.Generate(), new SequencerOptions().ChainId)).ConfigureAwait(false))
        {
            await Console.Out.WriteLineAsync(StageTimings.Format(stage, microseconds)).ConfigureAwait(false);
            if (json is not null)
            {
                await File.AppendAllTextAsync(json, string.Create(CultureInfo.InvariantCulture, $"{{\"stage\":\"{stage}\",\"microseconds\":{microseconds:F3}}}") + Environment.NewLine).ConfigureAwait(false);
            }
        }

        return 0;
    }

    private static async Task<(string Text, string Json)> RunOnceAsync(string label, bool inMemory, bool sign, int transactions, int concurrency, int senderCount)
    {
        var directory = Directory.CreateTempSubdirectory("core-ceiling-").FullName;
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var options = new SequencerOptions { DataDirectory = directory };
        using var dataDirectory = DataDirectoryLock.Acquire(options.DataDirectory);
        OpenTransactionLog? openLog = inMemory ? (_, next, onDurable, _, _) => new InMemoryTransactionLog(next, onDurable) : null;
        using var core = StandaloneCore.Create(options, dataDirectory, services.GetRequiredService<IMeterFactory>(), out _, openLog: openLog);
        await core.StartAsync(CancellationToken.None).ConfigureAwait(false);
        var signer = new SoftConfirmationSigner(SequencerKey.Generate(), options.ChainId);
        var raw = SampleTransactions.Erc20Transfer(0);

        // Everything the submitters send is built before the clock starts: the forwarded, already-recovered input.
        var perSender = transactions / senderCount;
        var requests = new SequencingRequest[senderCount][];
        var counter = 0L;
        for (var s = 0; s < senderCount; s++)
        {
            var sender = new byte[Address.Length];
            BitConverter.TryWriteBytes(sender, s + 1);
            requests[s] = new SequencingRequest[perSender];
            for (var k = 0; k < perSender; k++)
            {
                var hash = new byte[Hash32.Length];
                BitConverter.TryWriteBytes(hash, ++counter);
                requests[s][k] = new SequencingRequest(new Hash32(hash), raw, new Address(sender), (ulong)k, 60_000);
            }
        }

        var latencies = new long[perSender * senderCount];
        var recorded = -1;
        var started = Stopwatch.GetTimestamp();
        var workers = new Task[concurrency];
        for (var w = 0; w < concurrency; w++)
        {
            var worker = w;
            workers[w] = Task.Run(async () =>
            {
                // Each sender belongs to one submitter, so its nonces arrive in order.
                for (var k = 0; k < perSender; k++)
                {
                    for (var s = worker; s < senderCount; s += concurrency)
                    {
                        var begin = Stopwatch.GetTimestamp();
                        var outcome = await core.SubmitAsync(requests[s][k], CancellationToken.None).ConfigureAwait(false);
                        if (outcome.Rejection != SequencingRejection.None)
                        {
                            throw new InvalidOperationException($"the core refused a transaction: {outcome.Rejection}");
                        }

                        if (sign)
                        {
                            signer.SignatureOf(outcome.Transaction!);
                        }
                        else if (worker == 0 && Sample.Count < 5_000)
                        {
                            Sample.Add(outcome.Transaction!);
                        }

                        latencies[Interlocked.Increment(ref recorded)] = Stopwatch.GetTimestamp() - begin;
                    }
                }
            });
        }

        await Task.WhenAll(workers).ConfigureAwait(false);
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var fsyncs = core.Log?.FsyncCount ?? 0;
        await core.StopAsync(CancellationToken.None).ConfigureAwait(false);
        Directory.Delete(directory, recursive: true);

        var count = recorded + 1;
        Array.Sort(latencies, 0, count);
        double Ms(double p) => latencies[Math.Clamp((int)Math.Ceiling(p / 100 * count) - 1, 0, count - 1)] * 1000.0 / Stopwatch.Frequency;
        var rate = count / seconds;
        var text = string.Create(CultureInfo.InvariantCulture,
            $"[core-ceiling] {label}: {count} tx from {senderCount} senders, {concurrency} submitters, in {seconds:F2} s: {rate:F0} tx/s; {fsyncs} group commits ({(fsyncs == 0 ? 0 : count / (double)fsyncs):F0} tx each); submit-to-durable ms p50 {Ms(50):F2} p99 {Ms(99):F2} p99.9 {Ms(99.9):F2}");
        var json = string.Create(CultureInfo.InvariantCulture,
            $"{{\"label\":\"{label}\",\"transactions\":{count},\"concurrency\":{concurrency},\"seconds\":{seconds:F3},\"txPerSecond\":{rate:F1},\"groupCommits\":{fsyncs},\"p50Ms\":{Ms(50):F3},\"p99Ms\":{Ms(99):F3},\"p999Ms\":{Ms(99.9):F3}}}");
        return (text, json);
    }
}
