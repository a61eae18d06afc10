using System.Globalization;
using System.Text.Json;

namespace Acceptance.Replication;

/// <summary>
/// Where a failover's time went (docs/replication.md, "Where failover time goes"): the new leader's takeover steps from
/// its <c>replication.lastTakeover</c> (Unix ms, this machine's clock), each from the moment of the kill.
/// </summary>
internal sealed class TakeoverBreakdown
{
    private static readonly string[] Steps = ["leaderGoneSeenAtMs", "leaseRevokedAtMs", "keyGoneSeenAtMs", "gatePassedAtMs", "wonAtMs"];
    private readonly List<double?[]> _kills = [];

    /// <summary>One kill's steps as a line; kept for <see cref="Summary"/>. <paramref name="status"/>: the new leader's sequencer_getStatus.</summary>
    public string Add(JsonElement? status, long killedAtMs, TimeSpan confirmedAfter)
    {
        var row = new double?[Steps.Length + 1];
        if (status is { } s && s.GetProperty("replication").TryGetProperty("lastTakeover", out var takeover))
        {
            for (var i = 0; i < Steps.Length; i++)
            {
                row[i] = takeover.TryGetProperty(Steps[i], out var at) && at.ValueKind == JsonValueKind.Number ? at.GetInt64() - killedAtMs : null;
            }
        }

        row[^1] = confirmedAfter.TotalMilliseconds;
        _kills.Add(row);
        return "steps after the kill (ms): " + string.Join(", ", Names().Select((name, i) => $"{name} {Show(row[i])}"));
    }

    /// <summary>Each step's median and maximum over the kills.</summary>
    public string Summary() => "takeover steps after the kill, median / max over " + _kills.Count + " kills (ms): " + string.Join(", ", Names().Select((name, i) =>
    {
        var values = _kills.Where(k => k[i] is not null).Select(k => k[i]!.Value).Order().ToArray();
        return values.Length == 0 ? $"{name} -" : $"{name} {Show(FailoverFigures.Percentile(values, 0.5))} / {Show(values[^1])}";
    }));

    private static IEnumerable<string> Names() => Steps.Select(s => s[..^"AtMs".Length]).Append("firstConfirmation");

    private static string Show(double? ms) => ms is { } v ? v.ToString("0", CultureInfo.InvariantCulture) : "-";
}
