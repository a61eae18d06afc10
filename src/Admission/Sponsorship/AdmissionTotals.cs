using System.Collections.Concurrent;

namespace Admission.Sponsorship;

/// <summary>
/// The admission meter's counts since start, kept in process beside the OpenTelemetry instruments so that a
/// server-side history (the operator console's ring of recent minutes) can sample them: it reads
/// <see cref="Snapshot"/> at its own pace and keeps differences, with no metrics backend in between.
/// </summary>
public sealed class AdmissionTotals
{
    // (verdict, reason) → count. Reasons are the gate's fixed rule names, so the table stays small; an entry is
    // added once per pair, then only incremented.
    private readonly ConcurrentDictionary<(string Verdict, string Reason), Count> _byReason = new();
    private long _gas;

    internal void Add(string verdict, string reason, ulong gas)
    {
        if (!_byReason.TryGetValue((verdict, reason), out var count))
        {
            count = _byReason.GetOrAdd((verdict, reason), static _ => new Count());
        }

        Interlocked.Increment(ref count.Value);
        if (gas > 0)
        {
            Interlocked.Add(ref _gas, (long)gas);
        }
    }

    /// <summary>Counts by verdict and reason (admitted: reason "admitted") and the sponsored gas, as of now.</summary>
    public AdmissionSnapshot Snapshot()
    {
        var counts = new Dictionary<(string Verdict, string Reason), long>(_byReason.Count);
        foreach (var (key, count) in _byReason)
        {
            counts[key] = Volatile.Read(ref count.Value);
        }

        return new AdmissionSnapshot(counts, Interlocked.Read(ref _gas));
    }

    private sealed class Count
    {
        public long Value;
    }
}

/// <summary>Counts since start at one moment: by (verdict, reason), and the gas charged to sponsorship budgets.</summary>
public sealed record AdmissionSnapshot(IReadOnlyDictionary<(string Verdict, string Reason), long> Counts, long SponsoredGas)
{
    /// <summary>The count of one verdict and reason, 0 when none was seen.</summary>
    public long Of(string verdict, string reason) => Counts.TryGetValue((verdict, reason), out var count) ? count : 0;
}
