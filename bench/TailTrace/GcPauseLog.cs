using System.Globalization;
using Microsoft.Diagnostics.Tracing;

namespace TailTrace;

/// <summary>
/// One line per GC pause: the generation collected, how long threads took to stop, the whole pause, and what the
/// collection had to copy (bytes promoted out of gen0 and gen1), the sizes left behind and the objects pinned at the time
/// (a pinned object keeps its region where it is, which the runtime may count as promoted). A pause's length follows
/// what survives, not what was allocated, so this says which of the survivors to go after.
/// </summary>
internal sealed class GcPauseLog
{
    private readonly List<GcPause> _pauses = [];
    private double _suspendBegin = double.NaN;
    private double _suspendEnd = double.NaN;
    private int _generation = -1;
    private long _promoted0;
    private long _promoted1;
    private long _gen1Size;
    private long _gen2Size;
    private long _lohSize;
    private long _pinned;

    /// <summary>Runtime event ids: 9 SuspendEEBegin, 8 SuspendEEEnd, 1 GCStart, 4 GCHeapStats, 3 RestartEEEnd.</summary>
    public void OnEvent(TraceEvent data, double at)
    {
        switch ((int)data.ID)
        {
            case 9:
                _suspendBegin = at;
                _suspendEnd = double.NaN;
                _generation = -1;
                break;
            case 8:
                _suspendEnd = at;
                break;
            case 1:
                _generation = Convert.ToInt32(data.PayloadByName("Depth") ?? -1, CultureInfo.InvariantCulture);
                break;
            case 4:
                _promoted0 = Long(data, "TotalPromotedSize0");
                _promoted1 = Long(data, "TotalPromotedSize1");
                _gen1Size = Long(data, "GenerationSize1");
                _gen2Size = Long(data, "GenerationSize2");
                _lohSize = Long(data, "GenerationSize3");
                _pinned = Long(data, "PinnedObjectCount");
                break;
            case 3:
                if (!double.IsNaN(_suspendBegin))
                {
                    var suspend = double.IsNaN(_suspendEnd) ? 0 : _suspendEnd - _suspendBegin;
                    _pauses.Add(new GcPause(at, _generation, at - _suspendBegin, suspend, _promoted0, _promoted1, _gen1Size, _gen2Size, _lohSize, _pinned));
                    _suspendBegin = double.NaN;
                }

                break;
        }
    }

    /// <summary>The longest pauses, longest first, one line each.</summary>
    public IEnumerable<string> Longest(int count) => _pauses.OrderByDescending(p => p.PauseMs).Take(count).Select(p => p.ToString());

    /// <summary>Per generation: count, total and max pause, mean bytes promoted.</summary>
    public IEnumerable<string> ByGeneration() => _pauses.GroupBy(p => p.Generation).OrderBy(g => g.Key).Select(g => string.Create(CultureInfo.InvariantCulture,
        $"gen{g.Key}: {g.Count()} pauses, total {g.Sum(p => p.PauseMs):F1} ms, max {g.Max(p => p.PauseMs):F2} ms, mean promoted {g.Average(p => p.Promoted0 + p.Promoted1) / 1048576:F2} MB"));

    public IReadOnlyList<GcPause> Pauses => _pauses;

    private static long Long(TraceEvent data, string name) => Convert.ToInt64(data.PayloadByName(name) ?? 0L, CultureInfo.InvariantCulture);
}

/// <summary>One GC pause; times in milliseconds from the trace's start, sizes in bytes.</summary>
internal sealed record GcPause(double AtMs, int Generation, double PauseMs, double SuspendMs, long Promoted0, long Promoted1, long Gen1Size, long Gen2Size, long LohSize, long PinnedObjects)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"gen{Generation} at {AtMs / 1000:F2} s: pause {PauseMs:F2} ms (stopping threads {SuspendMs:F2} ms), promoted gen0 {Promoted0 / 1048576.0:F2} MB gen1 {Promoted1 / 1048576.0:F2} MB; after: gen1 {Gen1Size / 1048576.0:F1} MB, gen2 {Gen2Size / 1048576.0:F1} MB, LOH {LohSize / 1048576.0:F1} MB; {PinnedObjects} pinned objects");
}
