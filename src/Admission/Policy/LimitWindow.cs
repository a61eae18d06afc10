namespace Admission.Policy;

/// <summary>At most <see cref="Count"/> requests per <see cref="PeriodSeconds"/>, smoothed (GCRA): after a full burst, one more every PeriodSeconds/Count.</summary>
internal sealed class LimitWindow
{
    public long Count { get; set; }

    public long PeriodSeconds { get; set; }
}
