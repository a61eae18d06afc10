using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Admission.Identity;
using Admission.Spending;
using Admission.Sponsorship;
using Admission.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TestInfrastructure;

namespace Admission.Tests.Spending;

/// <summary>
/// Wei budgets through a host's gate, ledger, usage API and alerts (embedded store): reserved at gasLimit × price,
/// settled at gasUsed × price, capped per identity, alerting once through a real HTTP webhook.
/// </summary>
public sealed class WeiBudgetTests
{
    private const ulong Price = 1_000_000_007;
    private static readonly AdmissionIdentity Alice = Identities.Of("dev", "alice");

    private static string Policy(string identityCap = "\"1000000000000000000\"", string extra = "") =>
        Policies.Json(extraRule: $",\n\"dailySpendCapWei\": {identityCap}").Replace(
            "\"blocked\": []", "\"globalDailySpendCapWei\": \"5000000000000000000\"" + extra + ",\n\"blocked\": []", StringComparison.Ordinal);

    private static Task<AdmissionHost> Host(string policy, bool settles = true, IDictionary<string, string?>? settings = null) =>
        AdmissionHost.StartAsync(policy, settings, configureServices: s => s.AddSingleton(new SponsoredGasPrice(Price, settles)));

    private static SponsoredCall Transfer(ulong gas) => new(Policies.Token, Policies.TransferData(), UInt128.Zero, gas);

    [Fact]
    public async Task A_transaction_is_reserved_at_its_gas_limit_and_charged_its_gas_used_once_settled()
    {
        await using var host = await Host(Policy());
        var gate = host.Services.GetRequiredService<SponsoredTransactionGate>();
        var ledger = host.Services.GetRequiredService<SpendLedger>();

        var decision = await gate.AdmitAsync(Alice, Transfer(150_000));
        Assert.Equal(150_000 * (UInt128)Price, decision.ReservedWei);
        Assert.Equal(150_000 * (UInt128)Price, await SpentAsync(host));

        await ledger.RecordAsync(Alice.Key, "0x01", 3, decision.ReservedWei, decision.PriceWei, decision.SpendDay);
        var settled = await ledger.SettleAsync("0x01", 21_000, Price);
        var twice = await ledger.SettleAsync("0x01", 21_000, Price);

        Assert.Equal(129_000 * (UInt128)Price, settled.ReleasedWei);
        Assert.False(twice.Settled);
        var usage = await host.Services.GetRequiredService<UsageReader>().ForIdentityAsync(Alice);
        Assert.Equal((21_000 * (UInt128)Price).ToString(CultureInfo.InvariantCulture), usage.Spend!.SpentWeiToday);
        Assert.Equal((1_000_000_000_000_000_000 - 21_000 * (UInt128)Price).ToString(CultureInfo.InvariantCulture), usage.Spend.RemainingWei);
        Assert.Equal("gasUsed", usage.Spend.Basis);
    }

    [Fact]
    public async Task Without_an_execution_node_the_gas_limit_stays_the_charge_and_the_usage_says_so()
    {
        await using var host = await Host(Policy(), settles: false);
        var gate = host.Services.GetRequiredService<SponsoredTransactionGate>();
        var ledger = host.Services.GetRequiredService<SpendLedger>();

        var decision = await gate.AdmitAsync(Alice, Transfer(100_000));
        await ledger.RecordAsync(Alice.Key, "0x02", 1, decision.ReservedWei, decision.PriceWei, decision.SpendDay);

        Assert.Empty(await ledger.PendingAsync(10, 10));
        var (status, body) = await host.SendAsync(HttpMethod.Get, "/usage?identity=dev:alice");
        Assert.Equal(200, status);
        var spend = JsonDocument.Parse(body).RootElement.GetProperty("identity").GetProperty("spend");
        Assert.Equal("gasLimit", spend.GetProperty("basis").GetString());
        Assert.Contains("no execution node", spend.GetProperty("basisNote").GetString(), StringComparison.Ordinal);
        Assert.Equal((100_000 * (UInt128)Price).ToString(CultureInfo.InvariantCulture), spend.GetProperty("spentWeiToday").GetString());
    }

    [Fact]
    public async Task The_daily_spend_cap_refuses_the_transaction_that_would_pass_it_and_takes_no_other_limit()
    {
        // Cap: two transactions of 100,000 gas at the price, to the wei.
        var cap = (200_000 * (UInt128)Price).ToString(CultureInfo.InvariantCulture);
        await using var host = await Host(Policy($"\"{cap}\""));
        var gate = host.Services.GetRequiredService<SponsoredTransactionGate>();

        Assert.True((await gate.AdmitAsync(Alice, Transfer(100_000))).IsAdmitted);
        Assert.True((await gate.AdmitAsync(Alice, Transfer(100_000))).IsAdmitted);
        var refused = await gate.AdmitAsync(Alice, Transfer(21_000));

        Assert.Equal(-32005, refused.ErrorCode);
        Assert.Equal("dailySpendCapWei", refused.Reason);
        var usage = await host.Services.GetRequiredService<UsageReader>().ForIdentityAsync(Alice);
        Assert.Equal(2, usage.TxToday);
        Assert.Equal("0", usage.Spend!.RemainingWei);
    }

    [Fact]
    public async Task Crossing_the_alert_threshold_fires_the_webhook_once_per_day_and_scope()
    {
        await using var webhook = await Webhook.StartAsync();
        var cap = (200_000 * (UInt128)Price).ToString(CultureInfo.InvariantCulture);
        await using var host = await Host(Policy($"\"{cap}\"", extra: ",\n\"spendAlertPercent\": 50"),
            settings: new Dictionary<string, string?> { ["Admission:SpendAlerts:WebhookUrl"] = webhook.Url });
        var gate = host.Services.GetRequiredService<SponsoredTransactionGate>();

        await gate.AdmitAsync(Alice, Transfer(60_000));
        Assert.Empty(webhook.Bodies);
        await gate.AdmitAsync(Alice, Transfer(60_000));
        await gate.AdmitAsync(Alice, Transfer(60_000));

        await Eventually.UntilAsync(() => !webhook.Bodies.IsEmpty, TimeSpan.FromSeconds(30), "the webhook was called");
        var alert = JsonDocument.Parse(webhook.Bodies.Single()).RootElement;
        Assert.Equal("identity", alert.GetProperty("scope").GetString());
        Assert.Equal("dev:alice", alert.GetProperty("identity").GetString());
        Assert.Equal((120_000 * (UInt128)Price).ToString(CultureInfo.InvariantCulture), alert.GetProperty("spentWei").GetString());
        Assert.Equal(cap, alert.GetProperty("capWei").GetString());
        Assert.Equal(50, alert.GetProperty("thresholdPercent").GetInt32());
    }

    [Theory]
    [InlineData("\"dailySpendCapWei\": \"1.5\"", "$.rules[0].dailySpendCapWei", "whole number of wei")]
    [InlineData("\"dailySpendCapWei\": \"1000000000000000000000000000000\"", "$.rules[0].dailySpendCapWei", "at most")]
    public void Bad_caps_are_refused_at_their_path(string field, string path, string problem)
    {
        var json = Policies.Json(extraRule: ",\n" + field);

        Assert.False(Admission.Policy.PolicyParser.TryParse(json, out _, out var errors));
        Assert.Contains(errors, e => e.Path == path && e.Problem.Contains(problem, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("\"spendAlertPercent\": 0", "$.spendAlertPercent")]
    [InlineData("\"spendAlertPercent\": 101", "$.spendAlertPercent")]
    [InlineData("\"globalDailySpendCapWei\": \"-1\"", "$.globalDailySpendCapWei")]
    public void Bad_global_knobs_are_refused_at_their_path(string field, string path)
    {
        var json = Policies.Json().Replace("\"blocked\": []", field + ",\n\"blocked\": []", StringComparison.Ordinal);

        Assert.False(Admission.Policy.PolicyParser.TryParse(json, out _, out var errors));
        Assert.Contains(errors, e => e.Path == path);
    }

    [Fact]
    public void Wei_are_shown_in_ether_exactly()
    {
        Assert.Equal("0", WeiText.Ether(0));
        Assert.Equal("0.000000000000000001", WeiText.Ether(1));
        Assert.Equal("1.5", WeiText.Ether(1_500_000_000_000_000_000));
        Assert.Equal("300.000000000000000021", WeiText.Ether(UInt128.Parse("300000000000000000021", CultureInfo.InvariantCulture)));
    }

    private static async Task<UInt128> SpentAsync(AdmissionHost host) =>
        UInt128.Parse((await host.Services.GetRequiredService<UsageReader>().ForIdentityAsync(Alice)).Spend!.SpentWeiToday, CultureInfo.InvariantCulture);

    /// <summary>A real HTTP server (Kestrel on a free loopback port) that keeps every body POSTed to it.</summary>
    private sealed class Webhook : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private Webhook(WebApplication app) => _app = app;

        public ConcurrentQueue<string> Bodies { get; } = new();

        public string Url => _app.Urls.First() + "/alerts";

        public static async Task<Webhook> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            var app = builder.Build();
            var webhook = new Webhook(app);
            app.MapPost("/alerts", async (HttpContext context) =>
            {
                using var reader = new StreamReader(context.Request.Body);
                webhook.Bodies.Enqueue(await reader.ReadToEndAsync(context.RequestAborted));
                return Results.NoContent();
            });
            await app.StartAsync();
            return webhook;
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
