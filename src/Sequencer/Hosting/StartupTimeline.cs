using System.Diagnostics;

namespace Sequencer.Hosting;

/// <summary>
/// Where the start goes, measured from the moment the kernel started the process: the runtime up to Main, building the
/// host, validating the options, replaying the log and starting the hosted services and Kestrel. Logged once, when the
/// host has started (the moment /health/ready can first answer), with the process's CPU time, so that an operator (and
/// docs/benchmarks.md) can tell the sequencer's own recovery from the cost of the runtime and the framework.
/// </summary>
internal sealed partial class StartupTimeline
{
    private readonly DateTime _processStarted;
    private readonly long _mainEntered;
    private readonly TimeSpan _runtimeToMain;
    private readonly List<(string Stage, double Milliseconds, double CpuMilliseconds, long JitMethods)> _stages = new(10);
    private long _last;
    private TimeSpan _lastCpu;
    private long _lastJit;

    private StartupTimeline()
    {
        _mainEntered = Stopwatch.GetTimestamp();
        _last = _mainEntered;
        using var self = Process.GetCurrentProcess();
        _processStarted = self.StartTime.ToUniversalTime();
        // The kernel's start time has the clock tick's resolution (10 ms); good enough for a figure in milliseconds.
        _runtimeToMain = DateTime.UtcNow - _processStarted;
        _lastCpu = self.TotalProcessorTime;
        _cpuToMain = _lastCpu;
        _lastJit = System.Runtime.JitInfo.GetCompiledMethodCount();
        _jitToMain = _lastJit;
    }

    private readonly long _jitToMain;

    private readonly TimeSpan _cpuToMain;

    /// <summary>Starts the timeline; call first thing in Main.</summary>
    public static StartupTimeline Begin() => new();

    /// <summary>Closes the stage that ran since the previous mark (or Main).</summary>
    public void Mark(string stage)
    {
        var now = Stopwatch.GetTimestamp();
        var cpu = ProcessCpu();
        // Methods JIT-compiled in the stage (all threads): what ReadyToRun did not cover, to tell where it is spent.
        var jit = System.Runtime.JitInfo.GetCompiledMethodCount();
        _stages.Add((stage, Stopwatch.GetElapsedTime(_last, now).TotalMilliseconds, (cpu - _lastCpu).TotalMilliseconds, jit - _lastJit));
        _last = now;
        _lastCpu = cpu;
        _lastJit = jit;
    }

    /// <summary>Wall time from process start to now, in milliseconds.</summary>
    public double SinceProcessStart => (_runtimeToMain + Stopwatch.GetElapsedTime(_mainEntered)).TotalMilliseconds;

    /// <summary>The stages as one line: "runtime to Main 80 ms (CPU 60, JIT 12), build host 120 ms (…), …".</summary>
    public string Describe()
    {
        var parts = new List<string>(_stages.Count + 1)
        {
            $"runtime to Main {_runtimeToMain.TotalMilliseconds:F0} ms (CPU {_cpuToMain.TotalMilliseconds:F0}, JIT {_jitToMain})",
        };
        foreach (var (stage, ms, cpu, jit) in _stages)
        {
            parts.Add($"{stage} {ms:F0} ms (CPU {cpu:F0}, JIT {jit})");
        }

        return string.Join(", ", parts);
    }

    /// <summary>Logs the timeline once the host has started.</summary>
    public void LogWhenStarted(WebApplication app)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Sequencer.Startup");
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            Mark("start server and listen");
            LogStarted(logger, SinceProcessStart, _lastCpu.TotalMilliseconds, Describe(),
                System.Runtime.JitInfo.GetCompiledMethodCount(), System.Runtime.JitInfo.GetCompilationTime().TotalMilliseconds);
        });
    }

    /// <summary>Marks the end of the app's hosted services' start, before the server's (registered last of them).</summary>
    internal sealed class HostedServicesStarted(StartupTimeline timeline) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            timeline.Mark("start hosted services");
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    private static TimeSpan ProcessCpu()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime;
    }

    [LoggerMessage(EventId = 50, Level = LogLevel.Information,
        Message = "Started in {Milliseconds:F0} ms from process start, {CpuMilliseconds:F0} ms CPU: {Stages}; JIT: {JitMethods} methods in {JitMilliseconds:F0} ms")]
    private static partial void LogStarted(ILogger logger, double milliseconds, double cpuMilliseconds, string stages, long jitMethods, double jitMilliseconds);
}
