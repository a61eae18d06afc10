namespace Admission.Policy;

/// <summary>
/// A validated GCRA window: one request is "emitted" every <see cref="IntervalUs"/> microseconds and up to
/// <see cref="Count"/> may arrive at once. Microseconds so that fast windows (thousands per second) stay exact.
/// <see cref="Rule"/> is the name used in rejections, e.g. "rate.burst". <see cref="PeriodSeconds"/> is the
/// period as configured: the interval is rounded down, so Count × IntervalUs can fall short of it (3 per 10 s).
/// </summary>
internal sealed record RateWindow(string Rule, long Count, long IntervalUs, long PeriodSeconds)
{
    /// <summary>How far ahead of now the theoretical arrival time may run: the whole burst.</summary>
    public long ToleranceUs => IntervalUs * Count;

    public static RateWindow From(string rule, LimitWindow window) =>
        new(rule, window.Count, window.PeriodSeconds * 1_000_000 / window.Count, window.PeriodSeconds);
}
