using System.Text.Json;
using System.Text.RegularExpressions;
using TestInfrastructure;
using TestInfrastructure.Prometheus;

namespace Acceptance.Operations;

/// <summary>
/// deploy/ against the real thing: promtool accepts the configuration and the rules, a real Prometheus loads the
/// rules and evaluates each without error while scraping a real sequencer, and every series a rule or a dashboard
/// panel reads exists there with data.
/// </summary>
[Collection(MonitoredSequencerFixture.Collection)]
public sealed partial class PrometheusDeployTests(MonitoredSequencerFixture fixture)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    private static string Deploy(params string[] path) => Path.Combine([MonitoredSequencerFixture.DeployDirectory, .. path]);

    [Fact]
    public async Task Promtool_accepts_the_alert_rules()
    {
        var (code, output) = await Promtool.RunAsync("check", "rules", Deploy("prometheus", "alerts.yml"));
        Assert.True(code == 0, output);
        Assert.Contains("SUCCESS: 7 rules found", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Promtool_accepts_the_scrape_configuration_and_the_rule_file_it_names()
    {
        var (code, output) = await Promtool.RunAsync("check", "config", Deploy("prometheus", "prometheus.yml"));
        Assert.True(code == 0, output);
        Assert.Contains("SUCCESS: 1 rule files found", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Prometheus_evaluates_every_alert_rule_without_error()
    {
        var rules = await Eventually.UntilAsync(
            AlertRulesAsync,
            all => all.Count == 7 && all.All(r => r.GetProperty("health").GetString() == "ok"),
            Timeout,
            all => string.Join("; ", all.Select(r => $"{r.GetProperty("name")}: {r.GetProperty("health")} {(r.TryGetProperty("lastError", out var e) ? e.ToString() : "")}")));
        string[] expected = ["SequencerNotReady", "ConfirmationP99AboveTarget", "QueueNearFull", "LimiterFailingClosed", "BatchPostingLagging", "DaFailedOver", "SponsoredBurnRateAboveBudget"];
        Assert.Equal(expected.Order(), rules.Select(r => r.GetProperty("name").GetString()!).Order());

        // A healthy, idle sequencer: nothing fires.
        var firing = await fixture.Prometheus.QueryAsync("ALERTS{alertstate=\"firing\"}");
        Assert.Equal(0, firing.GetArrayLength());
    }

    [Fact]
    public async Task Every_series_the_rules_and_the_dashboard_read_is_scraped_with_data()
    {
        var rules = await Eventually.UntilAsync(AlertRulesAsync, all => all.Count == 7, Timeout, all => $"{all.Count} rules loaded");
        var expressions = rules.Select(r => r.GetProperty("query").GetString()!).ToList();
        using var dashboard = JsonDocument.Parse(await File.ReadAllTextAsync(Deploy("grafana", "rollup-sequencer.json")));
        foreach (var panel in dashboard.RootElement.GetProperty("panels").EnumerateArray())
        {
            expressions.AddRange(panel.GetProperty("targets").EnumerateArray().Select(t => t.GetProperty("expr").GetString()!));
        }

        var names = expressions.SelectMany(e => MetricName().Matches(e).Select(m => m.Value)).ToHashSet(StringComparer.Ordinal);
        Assert.True(names.Count >= 15, "too few series found in the expressions: " + string.Join(", ", names));
        foreach (var name in names.Order(StringComparer.Ordinal))
        {
            await Eventually.UntilAsync(
                () => fixture.Prometheus.QueryAsync(name),
                result => result.GetArrayLength() > 0,
                Timeout,
                _ => $"{name}: no data in Prometheus (scraping {fixture.Sequencer.RpcUrl}); its log:\n{fixture.Prometheus.RecentOutput}");
        }

        // The scrape carries the service's name, and no scope label on the series.
        var target = await fixture.Prometheus.QueryAsync("target_info");
        Assert.Equal("rollup-sequencer", target[0].GetProperty("metric").GetProperty("service_name").GetString());
        Assert.Equal(0, (await fixture.Prometheus.QueryAsync("{otel_scope_name!=\"\"}")).GetArrayLength());
    }

    private async Task<List<JsonElement>> AlertRulesAsync()
    {
        var data = await fixture.Prometheus.ApiAsync("api/v1/rules?type=alert");
        return data.GetProperty("groups").EnumerateArray().SelectMany(g => g.GetProperty("rules").EnumerateArray()).ToList();
    }

    // The series the sequencer exports (sequencer_, admission_, batcher_) and Prometheus' own `up`.
    [GeneratedRegex(@"\b(?:up|(?:sequencer|admission|batcher)_[a-z0-9_]+)\b")]
    private static partial Regex MetricName();
}
