namespace TailTrace;

/// <summary>What one trace window saw; durations in milliseconds.</summary>
internal sealed record TallySummary(
    double Seconds,
    int GcPauses, double GcPauseTotalMs, double GcPauseMaxMs, double GcPauseP99Ms,
    int Gen0, int Gen1, int Gen2,
    int WorkersFirst, int WorkersLast, int WorkersMin, int WorkersMax, int WorkerThreadStarts, int WorkerThreadStops,
    string Adjustments,
    int Contentions, double ContentionTotalMs, double ContentionMaxMs,
    int Waits, double WaitTotalMs, double WaitMaxMs,
    string TopAllocations,
    int Exceptions,
    string TopExceptions);
