using Microsoft.Diagnostics.Tracing;

namespace TailTrace;

/// <summary>
/// Counts what can stop a request for milliseconds, from the runtime's own events (provider
/// Microsoft-Windows-DotNETRuntime, matched by event id so that the TraceEvent version's parser names do not
/// matter): GC pauses (suspend begin to restart end), thread-pool thread count changes and their reasons
/// (starvation means work waited for a thread), monitor lock contention (start to stop per thread),
/// blocking waits (WaitHandleWait, .NET 9+) and the sampled allocations by type (GCAllocationTick, one per ~100 KB).
/// </summary>
internal sealed class RuntimeEventTally
{
    private const string Runtime = "Microsoft-Windows-DotNETRuntime";
    private static readonly string[] AdjustmentReasons = ["warmup", "initializing", "random move", "climbing move", "change point", "stabilizing", "starvation", "thread timed out", "cooperative blocking"];

    private readonly List<double> _pausesMs = [];
    private readonly GcPauseLog _gc = new();
    private readonly int[] _gcByGeneration = new int[3];
    private readonly Dictionary<int, double> _contentionStart = [];
    private readonly List<double> _contentionMs = [];
    private readonly Dictionary<int, double> _waitStart = [];
    private readonly List<double> _waitMs = [];
    private readonly Dictionary<string, int> _adjustments = [];
    private readonly Dictionary<string, long> _allocatedByType = [];
    private readonly Dictionary<string, int> _exceptions = [];
    private double _suspendedAt = double.NaN;
    private int _minWorkers = int.MaxValue;
    private int _maxWorkers;
    private int _firstWorkers = -1;
    private int _lastWorkers = -1;
    private int _threadStarts;
    private int _threadStops;

    public void OnEvent(TraceEvent data)
    {
        if (data.ProviderName != Runtime)
        {
            return;
        }

        var at = data.TimeStampRelativeMSec;
        _gc.OnEvent(data, at);
        switch ((int)data.ID)
        {
            case 1: // GCStart: Depth is the generation collected
                var depth = Convert.ToInt32(data.PayloadByName("Depth") ?? 0);
                _gcByGeneration[Math.Clamp(depth, 0, 2)]++;
                break;
            case 9: // GCSuspendEEBegin: the pause starts when the runtime starts suspending threads
                _suspendedAt = at;
                break;
            case 3: // GCRestartEEEnd: every thread runs again
                if (!double.IsNaN(_suspendedAt))
                {
                    _pausesMs.Add(at - _suspendedAt);
                    _suspendedAt = double.NaN;
                }

                break;
            case 10: // GCAllocationTick: sampled every ~100 KB allocated; TypeName says what
                var type = data.PayloadByName("TypeName") as string ?? "?";
                var amount = Convert.ToInt64(data.PayloadByName("AllocationAmount64") ?? data.PayloadByName("AllocationAmount") ?? 0L);
                _allocatedByType[type] = _allocatedByType.GetValueOrDefault(type) + amount;
                break;
            case 80: // ExceptionThrown_V1: type and the first words of the message, to find where they come from
                var exception = $"{data.PayloadByName("ExceptionType")}: {Shorten(data.PayloadByName("ExceptionMessage") as string)}";
                _exceptions[exception] = _exceptions.GetValueOrDefault(exception) + 1;
                break;
            case 50: // ThreadPoolWorkerThreadStart
                _threadStarts++;
                Workers(Convert.ToInt32(data.PayloadByName("ActiveWorkerThreadCount") ?? 0));
                break;
            case 51: // ThreadPoolWorkerThreadStop
                _threadStops++;
                Workers(Convert.ToInt32(data.PayloadByName("ActiveWorkerThreadCount") ?? 0));
                break;
            case 55: // ThreadPoolWorkerThreadAdjustmentAdjustment: hill climbing or starvation injection
                var reason = Convert.ToInt32(data.PayloadByName("Reason") ?? -1);
                var name = reason >= 0 && reason < AdjustmentReasons.Length ? AdjustmentReasons[reason] : $"reason {reason}";
                _adjustments[name] = _adjustments.GetValueOrDefault(name) + 1;
                Workers(Convert.ToInt32(data.PayloadByName("NewWorkerThreadCount") ?? 0));
                break;
            case 81: // ContentionStart
                _contentionStart[data.ThreadID] = at;
                break;
            case 91: // ContentionStop
                if (_contentionStart.Remove(data.ThreadID, out var started))
                {
                    _contentionMs.Add(at - started);
                }

                break;
            case 301: // WaitHandleWaitStart: a thread blocked on a wait handle or Monitor.Wait
                _waitStart[data.ThreadID] = at;
                break;
            case 302: // WaitHandleWaitStop
                if (_waitStart.Remove(data.ThreadID, out var waited))
                {
                    _waitMs.Add(at - waited);
                }

                break;
        }
    }

    /// <summary>Each GC pause with what it promoted (<see cref="GcPauseLog"/>).</summary>
    public GcPauseLog Gc => _gc;

    private void Workers(int count)
    {
        if (count <= 0)
        {
            return;
        }

        if (_firstWorkers < 0)
        {
            _firstWorkers = count;
        }

        _lastWorkers = count;
        _minWorkers = Math.Min(_minWorkers, count);
        _maxWorkers = Math.Max(_maxWorkers, count);
    }

    public TallySummary Summarize(double seconds) => new(
        seconds,
        _pausesMs.Count, _pausesMs.Sum(), _pausesMs.Count == 0 ? 0 : _pausesMs.Max(), Percentile(_pausesMs, 99),
        _gcByGeneration[0], _gcByGeneration[1], _gcByGeneration[2],
        _firstWorkers, _lastWorkers, _minWorkers == int.MaxValue ? -1 : _minWorkers, _maxWorkers, _threadStarts, _threadStops,
        string.Join(", ", _adjustments.OrderByDescending(a => a.Value).Select(a => $"{a.Key} {a.Value}")),
        _contentionMs.Count, _contentionMs.Sum(), _contentionMs.Count == 0 ? 0 : _contentionMs.Max(),
        _waitMs.Count, _waitMs.Sum(), _waitMs.Count == 0 ? 0 : _waitMs.Max(),
        string.Join(", ", _allocatedByType.OrderByDescending(a => a.Value).Take(8).Select(a => $"{a.Key} {a.Value / 1024} KB")),
        _exceptions.Values.Sum(),
        string.Join("; ", _exceptions.OrderByDescending(e => e.Value).Take(5).Select(e => $"{e.Value}× {e.Key}")));

    private static string Shorten(string? message) => message is null ? string.Empty : message.Length <= 80 ? message : message[..80] + "…";

    private static double Percentile(List<double> values, double percentile)
    {
        if (values.Count == 0)
        {
            return 0;
        }

        var sorted = values.Order().ToArray();
        return sorted[Math.Clamp((int)Math.Ceiling(percentile / 100 * sorted.Length) - 1, 0, sorted.Length - 1)];
    }
}
