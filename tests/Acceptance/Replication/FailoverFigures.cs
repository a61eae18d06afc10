using System.Globalization;
using System.Text;

namespace Acceptance.Replication;

/// <summary>The figures of a failover run as text (docs/benchmarks.md, "Replication"), with the load of the machine.</summary>
internal static class FailoverFigures
{
    public static string Describe(IReadOnlyList<TimeSpan> failovers, int confirmed, int sequenced, double seconds, ReplicaProcessSet set, int lateAfterResume, int probes)
    {
        var text = new StringBuilder();
        var sorted = failovers.Select(f => f.TotalMilliseconds).Order().ToArray();
        text.Append(CultureInfo.InvariantCulture, $"failover (kill → first confirmation by the new leader) over {sorted.Length} kills: ");
        text.AppendLine(sorted.Length == 0 ? "none" : string.Create(CultureInfo.InvariantCulture,
            $"p50 {Percentile(sorted, 0.50):0} ms, p99 {Percentile(sorted, 0.99):0} ms, min {sorted[0]:0} ms, max {sorted[^1]:0} ms; all: {string.Join(' ', sorted.Select(v => v.ToString("0", CultureInfo.InvariantCulture)))}"));
        text.AppendLine(CultureInfo.InvariantCulture, $"confirmations received {confirmed} ({confirmed / seconds:0} per s over {seconds:0} s, faults included); sequenced and on every replica {sequenced}");
        text.AppendLine(CultureInfo.InvariantCulture, $"replica restarts {set.Restarts}; exits for a tail cut (code 3) {set.Exits.Count(e => e.Code == 3)}; late answers from resumed leaders that were confirmations {lateAfterResume}; probes of paused leaders {probes}, all refused");
        text.Append("load: ").Append(Uptime());
        return text.ToString();
    }

    /// <summary>Nearest-rank percentile of sorted values.</summary>
    public static double Percentile(double[] sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];

    private static string Uptime()
    {
        try
        {
            return "loadavg " + File.ReadAllText("/proc/loadavg").Trim();
        }
        catch (IOException)
        {
            return "unknown";
        }
    }
}
