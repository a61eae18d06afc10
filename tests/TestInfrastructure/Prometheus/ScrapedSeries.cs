using System.Globalization;
using System.Text.RegularExpressions;

namespace TestInfrastructure.Prometheus;

/// <summary>One sample of a scrape in the Prometheus text format: the metric name, its labels, its value.</summary>
public sealed partial record ScrapedSeries(string Name, IReadOnlyDictionary<string, string> Labels, double Value)
{
    public string Label(string name) => Labels.TryGetValue(name, out var value) ? value : "";

    /// <summary>
    /// The samples of a <c>/metrics</c> body (text format 0.0.4). Enough for the exporter's output: one sample per
    /// line, labels quoted with <c>\"</c>, <c>\\</c> and <c>\n</c> escapes; comments and blank lines skipped.
    /// </summary>
    public static IReadOnlyList<ScrapedSeries> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var samples = new List<ScrapedSeries>();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var match = Sample().Match(line);
            if (!match.Success)
            {
                throw new FormatException("not a Prometheus sample line: " + line);
            }

            var labels = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (Match label in Label().Matches(match.Groups["labels"].Value))
            {
                labels[label.Groups[1].Value] = Regex.Unescape(label.Groups[2].Value);
            }

            var value = match.Groups["value"].Value switch
            {
                "+Inf" => double.PositiveInfinity,
                "-Inf" => double.NegativeInfinity,
                "NaN" => double.NaN,
                var number => double.Parse(number, NumberStyles.Float, CultureInfo.InvariantCulture),
            };
            samples.Add(new ScrapedSeries(match.Groups["name"].Value, labels, value));
        }

        return samples;
    }

    [GeneratedRegex("""^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(?<labels>.*)\})?\s+(?<value>\S+)(?:\s+\d+)?$""")]
    private static partial Regex Sample();

    [GeneratedRegex("""([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"\s*,?""")]
    private static partial Regex Label();
}
