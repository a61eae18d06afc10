using Microsoft.Extensions.Time.Testing;
using Admission.Identity;
using Admission.Limits;
using Admission.Policy;
using Admission.Sponsorship;
using Admission.Tests.Infrastructure;

namespace Admission.Tests.Sponsorship;

public class SponsoredTransactionGateTests
{
    private readonly FakeTimeProvider _clock = new(TestClock.Noon);
    private readonly EmbeddedRateLimitStore _store = new();

    private static AdmissionIdentity Alice { get; } = Identities.Of("dev", "alice");

    private static SponsoredCall Transfer(ulong? gas = null) => new(Policies.Token, Policies.TransferData(), UInt128.Zero, gas);

    [Fact]
    public async Task AllowedCall_IsAdmitted_WithTheRuleDefaultGas()
    {
        var decision = await Gate(Policies.Json()).AdmitAsync(Alice, Transfer());

        Assert.True(decision.IsAdmitted);
        Assert.Equal("app", decision.PolicyRule);
        Assert.Equal(100_000UL, decision.Gas);
    }

    [Theory]
    [InlineData("0x2222222222222222222222222222222222222222", "a9059cbb", 0, null, "allowedContracts")]
    [InlineData(Policies.Token, "deadbeef", 0, null, "selectors")]
    [InlineData(Policies.Token, "", 0, null, "selectors")]
    [InlineData(Policies.Token, "a9059cbb", 1, null, "maxValuePerTxWei")]
    [InlineData(Policies.Token, "a9059cbb", 0, 200_001UL, "maxGasPerTx")]
    public async Task PolicyViolations_AreDenied_NamingTheRule(string to, string data, int value, ulong? gas, string rule)
    {
        var decision = await Gate(Policies.Json()).AdmitAsync(Alice, new SponsoredCall(to, Convert.FromHexString(data), (UInt128)value, gas));

        Assert.Equal(AdmissionVerdict.Denied, decision.Verdict);
        Assert.Equal(-32003, decision.ErrorCode);
        Assert.Equal(rule, decision.Reason);
        Assert.Contains(rule, decision.Message, StringComparison.Ordinal);
        Assert.Contains("\"app\"", decision.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BlockedIdentity_IsDenied()
    {
        var decision = await Gate(Policies.Json(blocked: "\"dev:alice\"")).AdmitAsync(Alice, Transfer());

        Assert.Equal("blocked", decision.Reason);
        Assert.Equal(-32003, decision.ErrorCode);
    }

    [Fact]
    public async Task ProviderWithoutRule_IsDenied()
    {
        var decision = await Gate(Policies.Json()).AdmitAsync(Identities.Of("x", "alice"), Transfer());

        Assert.Equal("no rule", decision.Reason);
    }

    [Fact]
    public async Task RequiredClaims_AndAccountAge_AreChecked()
    {
        var gate = Gate(Policies.Json(extraRule: """, "requiredClaims": { "verified": "true" }, "minAccountAgeDays": 30"""));
        var createdLongAgo = _clock.GetUtcNow().AddDays(-31).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var createdYesterday = _clock.GetUtcNow().AddDays(-1).ToString("O");

        var unverified = await gate.AdmitAsync(Identities.Of("dev", "a", new Dictionary<string, string> { ["verified"] = "false", ["created_at"] = createdLongAgo }), Transfer());
        var young = await gate.AdmitAsync(Identities.Of("dev", "b", new Dictionary<string, string> { ["verified"] = "true", ["created_at"] = createdYesterday }), Transfer());
        var noDate = await gate.AdmitAsync(Identities.Of("dev", "c", new Dictionary<string, string> { ["verified"] = "true" }), Transfer());
        var ok = await gate.AdmitAsync(Identities.Of("dev", "d", new Dictionary<string, string> { ["verified"] = "true", ["created_at"] = createdLongAgo }), Transfer());

        Assert.Equal("requiredClaims", unverified.Reason);
        Assert.Equal("minAccountAgeDays", young.Reason);
        Assert.Contains("1 days old", young.Message, StringComparison.Ordinal);
        Assert.Equal("minAccountAgeDays", noDate.Reason);
        Assert.True(ok.IsAdmitted);
    }

    [Fact]
    public async Task Burst_IsLimited_WithReasonAndRetryAfter()
    {
        var gate = Gate(Policies.Json(burst: 2, burstSeconds: 10));
        await gate.AdmitAsync(Alice, Transfer());
        await gate.AdmitAsync(Alice, Transfer());

        var decision = await gate.AdmitAsync(Alice, Transfer());

        Assert.Equal(AdmissionVerdict.Limited, decision.Verdict);
        Assert.Equal(-32005, decision.ErrorCode);
        Assert.Equal(LimitRules.Burst, decision.Reason);
        Assert.Equal(5000, decision.RetryAfterMs);
        Assert.True((await gate.AdmitAsync(Identities.Of("dev", "bob"), Transfer())).IsAdmitted, "another identity has its own burst");
    }

    [Fact]
    public async Task DailyTxQuota_IsLimitedUntilMidnight_ThenResets()
    {
        var gate = Gate(Policies.Json(burst: 100, dailyTxQuota: 2));
        await gate.AdmitAsync(Alice, Transfer());
        await gate.AdmitAsync(Alice, Transfer());

        var refused = await gate.AdmitAsync(Alice, Transfer());
        Assert.Equal(LimitRules.DailyTxQuota, refused.Reason);
        Assert.Equal(12 * 3600 * 1000, refused.RetryAfterMs);

        _clock.Advance(TimeSpan.FromHours(12));
        Assert.True((await gate.AdmitAsync(Alice, Transfer())).IsAdmitted);
    }

    [Fact]
    public async Task DailyGasBudget_AndGlobalGas_AreLimited()
    {
        var perIdentity = Gate(Policies.Json(burst: 100, dailyGasBudget: 250_000));
        await perIdentity.AdmitAsync(Alice, Transfer(gas: 100_000));
        await perIdentity.AdmitAsync(Alice, Transfer(gas: 100_000));
        Assert.Equal(LimitRules.DailyGasBudget, (await perIdentity.AdmitAsync(Alice, Transfer(gas: 100_000))).Reason);
        Assert.True((await perIdentity.AdmitAsync(Alice, Transfer(gas: 50_000))).IsAdmitted, "what is left of the budget can still be used");

        var global = new SponsoredTransactionGate(new PolicyHolder(Policies.Parse(Policies.Json(burst: 100, globalGas: 150_000))), new EmbeddedRateLimitStore(), _clock);
        Assert.True((await global.AdmitAsync(Alice, Transfer(gas: 100_000))).IsAdmitted);
        Assert.Equal(LimitRules.GlobalDailySponsoredGas, (await global.AdmitAsync(Identities.Of("dev", "bob"), Transfer(gas: 100_000))).Reason);
    }

    [Fact]
    public async Task DeniedRequests_DoNotUseUpLimits()
    {
        var gate = Gate(Policies.Json(burst: 1));
        for (var i = 0; i < 5; i++)
        {
            await gate.AdmitAsync(Alice, Transfer(gas: 1_000_000));
        }

        Assert.True((await gate.AdmitAsync(Alice, Transfer())).IsAdmitted);
    }

    [Fact]
    public async Task UnavailableStore_FailsClosed()
    {
        var gate = new SponsoredTransactionGate(new PolicyHolder(Policies.Parse(Policies.Json())), new UnreachableStore(), _clock);

        var decision = await gate.AdmitAsync(Alice, Transfer());

        Assert.Equal(AdmissionVerdict.Limited, decision.Verdict);
        Assert.Equal("limiter unavailable", decision.Reason);
        Assert.True(decision.RetryAfterMs > 0);
    }

    [Fact]
    public async Task DryRun_ReadsLimitsWithoutTakingFromThem()
    {
        var holder = new PolicyHolder(Policies.Parse(Policies.Json(burst: 1)));
        var gate = new SponsoredTransactionGate(holder, _store, _clock);

        for (var i = 0; i < 3; i++)
        {
            Assert.True((await gate.AdmitAsync(holder.Current, Alice, Transfer(), consume: false)).IsAdmitted);
        }

        Assert.True((await gate.AdmitAsync(Alice, Transfer())).IsAdmitted);
        Assert.Equal(LimitRules.Burst, (await gate.AdmitAsync(holder.Current, Alice, Transfer(), consume: false)).Reason);
    }

    [Fact]
    public async Task Usage_ShowsTodayAndLimitsLeft_AndTopUsers()
    {
        var holder = new PolicyHolder(Policies.Parse(Policies.Json(burst: 3, dailyTxQuota: 10)));
        var gate = new SponsoredTransactionGate(holder, _store, _clock);
        await gate.AdmitAsync(Alice, Transfer(gas: 100_000));
        await gate.AdmitAsync(Alice, Transfer(gas: 50_000));
        await gate.AdmitAsync(Identities.Of("dev", "bob"), Transfer(gas: 30_000));
        var reader = new UsageReader(holder, _store, _clock);

        var usage = await reader.ForIdentityAsync(Alice);
        var top = await reader.TopAsync(10);

        Assert.Equal(2, usage.TxToday);
        Assert.Equal(150_000, usage.GasToday);
        Assert.Equal(1, usage.Burst!.Remaining);
        Assert.Equal(10, usage.DailyTxQuota);
        Assert.Equal(180_000, usage.GlobalGasToday);
        Assert.Equal([new TopUser("dev:alice", 150_000, 2), new TopUser("dev:bob", 30_000, 1)], top);
    }

    [Theory]
    [InlineData(3, 10)]
    [InlineData(7, 60)]
    [InlineData(600, 3600)]
    public async Task Usage_ReportsTheWindowAsConfigured_EvenWhenThePeriodDoesNotDivideByTheCount(int count, int periodSeconds)
    {
        // Issue 15: 3 per 10 s was shown as "per 9 s" (the period was rebuilt from the rounded interval).
        var holder = new PolicyHolder(Policies.Parse(Policies.Json(burst: count, burstSeconds: periodSeconds, sustained: count, sustainedSeconds: periodSeconds)));
        var reader = new UsageReader(holder, _store, _clock);

        var usage = await reader.ForIdentityAsync(Alice);

        Assert.Equal(new WindowUsage(count, periodSeconds, count), usage.Burst);
        Assert.Equal(new WindowUsage(count, periodSeconds, count), usage.Sustained);
    }

    [Fact]
    public async Task NewPolicy_AppliesToTheNextRequest()
    {
        var holder = new PolicyHolder(Policies.Parse(Policies.Json(version: 1)));
        var gate = new SponsoredTransactionGate(holder, _store, _clock);
        Assert.True((await gate.AdmitAsync(Alice, Transfer())).IsAdmitted);

        holder.Offer(Policies.Parse(Policies.Json(version: 2, blocked: "\"dev:alice\"")));

        Assert.Equal("blocked", (await gate.AdmitAsync(Alice, Transfer())).Reason);
    }

    private SponsoredTransactionGate Gate(string policyJson) => new(new PolicyHolder(Policies.Parse(policyJson)), _store, _clock);

    private sealed class UnreachableStore : IRateLimitStore
    {
        public ValueTask<LimitOutcome> AcquireAsync(LimitRequest request, CancellationToken cancellationToken = default) => ValueTask.FromResult(LimitOutcome.Unavailable);

        public ValueTask<long[]> ReadAsync(IReadOnlyList<string> keys, long nowUs, CancellationToken cancellationToken = default) =>
            throw new RateLimitStoreUnavailableException("down");

        public ValueTask<IReadOnlyList<BoardEntry>> TopAsync(string boardKey, int count, long nowUs, CancellationToken cancellationToken = default) =>
            throw new RateLimitStoreUnavailableException("down");

        public ValueTask CarryAsync(UsageCarry carry, CancellationToken cancellationToken = default) => throw new RateLimitStoreUnavailableException("down");
    }
}
