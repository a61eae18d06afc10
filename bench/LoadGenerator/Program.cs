using System.Diagnostics;
using System.Globalization;
using LoadGenerator;

// Pre-signs N transactions from many senders, then sends them over keep-alive HTTP with
// concurrency C (closed loop) or at a fixed rate (open loop, latency measured from each send's
// scheduled time so a stalled target cannot hide its queueing). Prints tx/s and latency percentiles.
LoadOptions options;
try
{
    options = LoadOptions.Parse(args);
}
catch (Exception e) when (e is ArgumentException or FormatException)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine("usage: LoadGenerator --target URL [--method M] [--transactions N] [--senders S] [--concurrency C] [--rate R] [--fund-anvil] [--fund-url URL] [--label L] [--json FILE] [--write-bodies FILE] [--server-pid PID]");
    return 2;
}

using var rpc = new RpcConnection(options.Target, options.Concurrency + 1);
using var funding = options.FundUrl is null ? null : new RpcConnection(options.FundUrl, 1);
var chainId = Convert.ToUInt64((await rpc.CallAsync("eth_chainId")).GetString(), 16);
var senders = TransactionFactory.Senders(options.Senders, options.Seed);
var perSender = options.Transactions / options.Senders;
var firstNonce = new ulong[senders.Length];
for (var s = 0; s < senders.Length; s++)
{
    var address = senders[s].GetPublicAddress();
    firstNonce[s] = Convert.ToUInt64((await rpc.CallAsync("eth_getTransactionCount", address, "pending")).GetString(), 16);
    if (options.FundAnvil)
    {
        await rpc.CallAsync("anvil_setBalance", address, "0x3635c9adc5dea00000");
    }

    if (funding is not null)
    {
        await funding.CallAsync("anvil_setBalance", address, "0x3635c9adc5dea00000");
    }
}

var signing = Stopwatch.StartNew();
var bodies = SignedTransactionCache.GetOrCreate(options, chainId, firstNonce, perSender, () => TransactionFactory.SignAll(senders, firstNonce, perSender, chainId, options.Method));
var total = perSender * senders.Length;
if (options.WriteBodies is not null)
{
    await BodyFile.WriteAsync(options.WriteBodies, bodies);
    Console.Error.WriteLine($"[{options.Label}] {total} signed request bodies written to {options.WriteBodies}");
    return 0;
}

Console.Error.WriteLine($"[{options.Label}] {total} signed transactions ready from {senders.Length} senders in {signing.Elapsed.TotalSeconds:F1} s; sending with concurrency {options.Concurrency}{(options.Rate > 0 ? $" at {options.Rate} tx/s" : string.Empty)}");

var latencies = new LatencyHistogram(total);
var errors = 0;
string? firstError = null;
var cpu = CpuTime.Start(options.ServerPid);
// The client's own GC pauses stop its clock-reading threads too: they are part of every latency it records.
var clientGcPause = GC.GetTotalPauseDuration();
var clientGcCount = GC.CollectionCount(0);
var started = Stopwatch.GetTimestamp();
var interval = options.Rate > 0 ? Stopwatch.Frequency * options.Concurrency / options.Rate : 0;
var workers = new Task[options.Concurrency];
for (var w = 0; w < options.Concurrency; w++)
{
    var worker = w;
    workers[w] = Task.Run(async () =>
    {
        // Senders are split between workers so each sender's nonces go out in order.
        var sent = 0L;
        for (var k = 0; k < perSender; k++)
        {
            for (var s = worker; s < senders.Length; s += options.Concurrency)
            {
                // Workers are spread evenly over one interval so arrivals are uniform, not 64 at once.
                var scheduled = interval > 0 ? started + (long)((sent + ((double)worker / options.Concurrency)) * interval) : Stopwatch.GetTimestamp();
                if (interval > 0)
                {
                    var wait = scheduled - Stopwatch.GetTimestamp();
                    if (wait > 0)
                    {
                        // Ahead of schedule: sleep, and count from the actual send so the timer's own
                        // oversleep is not charged to the target. Behind schedule (the target was slow):
                        // count from the scheduled time, so the target's backlog is charged to it.
                        await Task.Delay(TimeSpan.FromTicks(wait * TimeSpan.TicksPerSecond / Stopwatch.Frequency));
                        scheduled = Stopwatch.GetTimestamp();
                    }
                }

                sent++;
                var error = await rpc.PostAsync(bodies[s][k]);
                latencies.Record(Stopwatch.GetTimestamp() - scheduled);
                if (error is not null && Interlocked.Increment(ref errors) == 1)
                {
                    firstError = error;
                }
            }
        }
    });
}

await Task.WhenAll(workers);
var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
var (clientCpu, serverCpu) = cpu.Stop();
var clientGcMs = (GC.GetTotalPauseDuration() - clientGcPause).TotalMilliseconds;
clientGcCount = GC.CollectionCount(0) - clientGcCount;
latencies.Sort();
var rate = (total - errors) / seconds;
var line = string.Create(CultureInfo.InvariantCulture,
    $"[{options.Label}] {total - errors} ok, {errors} errors in {seconds:F2} s: {rate:F0} tx/s; latency ms p50 {latencies.PercentileMs(50):F2} p99 {latencies.PercentileMs(99):F2} p99.9 {latencies.PercentileMs(99.9):F2} max {latencies.PercentileMs(100):F2}; CPU s client {clientCpu:F2} server {serverCpu:F2}; client GC {clientGcCount} collections, {clientGcMs:F1} ms paused");
Console.WriteLine(line);
if (firstError is not null)
{
    Console.WriteLine($"[{options.Label}] first error: {firstError}");
}

if (options.Json is not null)
{
    var json = string.Create(CultureInfo.InvariantCulture,
        $"{{\"label\":\"{options.Label}\",\"method\":\"{options.Method}\",\"concurrency\":{options.Concurrency},\"rate\":{options.Rate},\"ok\":{total - errors},\"errors\":{errors},\"seconds\":{seconds:F3},\"txPerSecond\":{rate:F1},\"p50Ms\":{latencies.PercentileMs(50):F3},\"p99Ms\":{latencies.PercentileMs(99):F3},\"p999Ms\":{latencies.PercentileMs(99.9):F3},\"maxMs\":{latencies.PercentileMs(100):F3},\"clientCpuSeconds\":{clientCpu:F3},\"serverCpuSeconds\":{serverCpu:F3},\"clientGcCollections\":{clientGcCount},\"clientGcPauseMs\":{clientGcMs:F1}}}");
    await File.AppendAllTextAsync(options.Json, json + Environment.NewLine);
}

return errors == 0 ? 0 : 1;
