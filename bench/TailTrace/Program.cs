using System.Diagnostics;
using System.Diagnostics.Tracing;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;
using TailTrace;

// Attaches to a running sequencer over EventPipe (the same channel dotnet-trace uses, no tool install) while a load
// runs, and prints what can make a request wait for milliseconds: GC pauses, thread-pool changes, lock contention,
// blocking waits, the most allocated types; with --metrics also the server's own view of the same window (core
// confirmation time, HTTP request time, allocations/CPU/exceptions per accepted transaction).
//   TailTrace --pid PID [--metrics http://HOST:PORT/metrics] [--seconds S] [--label L] [--json FILE] [--survivors]
// Without --seconds it traces until SIGINT or SIGTERM (bench/perf.sh stops it when the load ends).
var pid = 0;
Uri? metrics = null;
double seconds = 0;
var label = "trace";
string? json = null;
var survivors = false;
for (var i = 0; i < args.Length; i++)
{
    string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
    switch (args[i])
    {
        case "--pid": pid = int.Parse(Value(), CultureInfo.InvariantCulture); break;
        case "--metrics": metrics = new Uri(Value()); break;
        case "--seconds": seconds = double.Parse(Value(), CultureInfo.InvariantCulture); break;
        case "--label": label = Value(); break;
        case "--json": json = Value(); break;
        case "--survivors": survivors = true; break;
        default:
            Console.Error.WriteLine($"unknown option {args[i]}; usage: TailTrace --pid PID [--metrics URL] [--seconds S] [--label L] [--json FILE] [--survivors]");
            return 2;
    }
}

if (pid <= 0)
{
    Console.Error.WriteLine("--pid is required");
    return 2;
}

// GC (1) at verbose for the allocation ticks, Exception (0x8000), Contention (0x4000), Threading (0x10000),
// WaitHandle (0x40000000000).
// --survivors adds GCHeapSurvivalAndMovement (0x400000): the ranges each collection kept (SurvivorSampler).
const long Keywords = 0x1 | 0x8000 | 0x4000 | 0x10000 | 0x40000000000;
var providers = new[] { new EventPipeProvider("Microsoft-Windows-DotNETRuntime", EventLevel.Verbose, Keywords | (survivors ? 0x400000L : 0L)) };
var sampler = survivors ? new SurvivorSampler() : null;
using var http = new HttpClient();
var before = metrics is null ? null : await MetricsScrape.ReadAsync(http, metrics);
using var session = new DiagnosticsClient(pid).StartEventPipeSession(providers, requestRundown: false);
var tally = new RuntimeEventTally();
var events = 0L;
var source = new EventPipeEventSource(session.EventStream);
// The runtime's events carry no names or payload layout in the stream: the CLR parser supplies them.
source.Clr.All += data =>
{
    events++;
    tally.OnEvent(data);
    sampler?.OnEvent(data);
};
var processing = Task.Run(source.Process);
var clock = Stopwatch.StartNew();
Console.Error.WriteLine($"[{label}] tracing process {pid}");

using var stop = new CancellationTokenSource();
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.Cancel(); });
try
{
    await Task.Delay(seconds > 0 ? TimeSpan.FromSeconds(seconds) : Timeout.InfiniteTimeSpan, stop.Token);
}
catch (OperationCanceledException)
{
}

var elapsed = clock.Elapsed.TotalSeconds;
var after = metrics is null ? null : await MetricsScrape.ReadAsync(http, metrics);
session.Stop();
await processing;
var summary = tally.Summarize(elapsed);

List<string> lines =
[
    $"{summary.Seconds:F1} s traced, {events} runtime events",
    $"GC: {summary.GcPauses} pauses (gen0 {summary.Gen0}, gen1 {summary.Gen1}, gen2 {summary.Gen2}), total {summary.GcPauseTotalMs:F1} ms, max {summary.GcPauseMaxMs:F2} ms, p99 {summary.GcPauseP99Ms:F2} ms",
    .. tally.Gc.ByGeneration().Select(line => "GC " + line),
    .. tally.Gc.Longest(5).Select(line => "GC longest: " + line),
    .. (sampler?.Top(12) ?? []).Select(line => "gen0 survivors: " + line),
    $"thread pool: workers {summary.WorkersFirst} at first, {summary.WorkersLast} at the end (min {summary.WorkersMin}, max {summary.WorkersMax}); {summary.WorkerThreadStarts} thread starts, {summary.WorkerThreadStops} stops; adjustments: {(summary.Adjustments.Length == 0 ? "none" : summary.Adjustments)}",
    $"lock contention: {summary.Contentions} events, total {summary.ContentionTotalMs:F1} ms, max {summary.ContentionMaxMs:F2} ms",
    $"blocking waits (wait handles, Monitor.Wait): {summary.Waits}, total {summary.WaitTotalMs:F0} ms, max {summary.WaitMaxMs:F1} ms",
    $"most allocated (sampled every ~100 KB): {summary.TopAllocations}",
    $"exceptions thrown: {summary.Exceptions}{(summary.Exceptions == 0 ? string.Empty : $"; most: {summary.TopExceptions}")}",
];
var server = new Dictionary<string, double>();
if (before is not null && after is not null)
{
    var accepted = after.Delta(before, "sequencer_transactions_accepted_total");
    double PerTx(string name) => accepted > 0 ? after.Delta(before, name) / accepted : double.NaN;
    double Ms(string histogram, double p) => after.Percentile(before, histogram, p) * 1000;
    server["accepted"] = accepted;
    server["allocatedBytesPerTx"] = PerTx("dotnet_gc_heap_total_allocated_bytes_total");
    server["cpuMicrosecondsPerTx"] = PerTx("dotnet_process_cpu_time_seconds_total") * 1e6;
    server["exceptionsPerTx"] = PerTx("dotnet_exceptions_total");
    server["contentionsPerTx"] = PerTx("dotnet_monitor_lock_contentions_total");
    server["gcPauseMs"] = after.Delta(before, "dotnet_gc_pause_time_seconds_total") * 1000;
    server["walGroupMean"] = after.Delta(before, "sequencer_wal_group_size_sum") / Math.Max(1, after.Delta(before, "sequencer_wal_group_size_count"));
    foreach (var (name, histogram) in new[] { ("confirm", "sequencer_confirm_duration_seconds"), ("http", "http_server_request_duration_seconds") })
    {
        server[name + "P50Ms"] = Ms(histogram, 50);
        server[name + "P99Ms"] = Ms(histogram, 99);
        server[name + "P999Ms"] = Ms(histogram, 99.9);
    }

    lines.Add(string.Create(CultureInfo.InvariantCulture,
        $"server, per accepted transaction ({accepted:F0}): {server["allocatedBytesPerTx"]:F0} B allocated, {server["cpuMicrosecondsPerTx"]:F0} µs CPU, {server["exceptionsPerTx"]:F4} exceptions, {server["contentionsPerTx"]:F4} lock contentions; WAL group mean {server["walGroupMean"]:F1}"));
    lines.Add(string.Create(CultureInfo.InvariantCulture,
        $"server histograms (bucket upper bounds): core confirm p50 ≤ {server["confirmP50Ms"]} ms, p99 ≤ {server["confirmP99Ms"]} ms, p99.9 ≤ {server["confirmP999Ms"]} ms; Kestrel request p50 ≤ {server["httpP50Ms"]} ms, p99 ≤ {server["httpP99Ms"]} ms, p99.9 ≤ {server["httpP999Ms"]} ms"));
}

foreach (var line in lines)
{
    Console.WriteLine($"[{label}] {line}");
}

if (json is not null)
{
    var record = new Dictionary<string, object> { ["label"] = label, ["events"] = events, ["runtime"] = summary, ["server"] = server, ["gcPauses"] = tally.Gc.Pauses };
    await File.AppendAllTextAsync(json, JsonSerializer.Serialize(record, new JsonSerializerOptions { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals }) + Environment.NewLine);
}

return 0;
