using System.Globalization;

namespace TailTrace;

/// <summary>
/// One read of the sequencer's Prometheus text (/metrics): every series and its value. Two reads, before and after a
/// load, give what the server itself saw of it: the core's confirmation time and Kestrel's request time (histogram
/// deltas), allocations, CPU, exceptions and lock contentions per accepted transaction. Bucket bounds make the
/// percentiles upper bounds ("p99 ≤ 5 ms"), not exact values.
/// </summary>
internal sealed class MetricsScrape(Dictionary<string, double> series)
{
    public static async Task<MetricsScrape> ReadAsync(HttpClient http, Uri url)
    {
        var text = await http.GetStringAsync(url).ConfigureAwait(false);
        var series = new Dictionary<string, double>();
        foreach (var line in text.Split('\n'))
        {
            var space = line.LastIndexOf(' ');
            if (line.Length == 0 || line[0] == '#' || space < 0)
            {
                continue;
            }

            // Some exporters end a sample with a timestamp; the value is then the second-to-last field.
            var key = line[..space];
            if (!double.TryParse(line[(space + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                continue;
            }

            series[key] = series.GetValueOrDefault(key) + value;
        }

        return new MetricsScrape(series);
    }

    /// <summary>The sum over every series of <paramref name="name"/> (all label sets), after minus before.</summary>
    public double Delta(MetricsScrape before, string name) => Sum(name) - before.Sum(name);

    private double Sum(string name)
    {
        var total = 0.0;
        foreach (var (key, value) in series)
        {
            if (key == name || (key.StartsWith(name, StringComparison.Ordinal) && key.Length > name.Length && key[name.Length] == '{'))
            {
                total += value;
            }
        }

        return total;
    }

    /// <summary>
    /// The upper bound (seconds) of the bucket holding the given percentile of the observations made between the two
    /// reads, summed over label sets (e.g. every HTTP route); NaN when there were none.
    /// </summary>
    public double Percentile(MetricsScrape before, string histogram, double percentile)
    {
        var buckets = new SortedDictionary<double, double>();
        AddBuckets(buckets, histogram, 1);
        before.AddBuckets(buckets, histogram, -1);
        if (buckets.Count == 0 || buckets.Last().Value <= 0)
        {
            return double.NaN;
        }

        var total = buckets.Last().Value;
        foreach (var (bound, count) in buckets)
        {
            if (count >= percentile / 100 * total)
            {
                return bound;
            }
        }

        return double.PositiveInfinity;
    }

    private void AddBuckets(SortedDictionary<double, double> buckets, string histogram, int sign)
    {
        var prefix = histogram + "_bucket{";
        foreach (var (key, value) in series)
        {
            if (!key.StartsWith(prefix, StringComparison.Ordinal))
            {
                continue;
            }

            var le = key.IndexOf("le=\"", StringComparison.Ordinal);
            if (le < 0)
            {
                continue;
            }

            var text = key[(le + 4)..key.IndexOf('"', le + 4)];
            var bound = text == "+Inf" ? double.PositiveInfinity : double.Parse(text, CultureInfo.InvariantCulture);
            buckets[bound] = buckets.GetValueOrDefault(bound) + (sign * value);
        }
    }
}
