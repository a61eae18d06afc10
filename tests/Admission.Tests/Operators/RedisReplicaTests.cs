using Admission.Limits;
using Admission.Policy;
using Admission.Sponsorship;
using Admission.Tests.Infrastructure;
using Admission.Tests.Limits;
using Microsoft.Extensions.DependencyInjection;
using TestInfrastructure.Redis;
using TestInfrastructure;

namespace Admission.Tests.Operators;

/// <summary>Two replicas (hosts) on one real redis-server: they share the policy and the limits.</summary>
[Collection(RedisServerFixture.Collection)]
public sealed class RedisReplicaTests(RedisServerFixture redis) : IAsyncLifetime
{
    private readonly string _prefix = "replicas-" + Guid.NewGuid().ToString("N") + ":";
    private AdmissionHost _a = null!;
    private AdmissionHost _b = null!;

    public async Task InitializeAsync()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Admission:Store"] = "Redis",
            ["Admission:RedisTimeoutMs"] = TestRedis.LimiterTimeoutMs,
            ["Admission:RedisConfiguration"] = redis.Server.ConnectionString,
            ["Admission:RedisKeyPrefix"] = _prefix,
        };
        _a = await AdmissionHost.StartAsync(Policies.Json(version: 1, burst: 4, burstSeconds: 3600), settings);
        _b = await AdmissionHost.StartAsync(Policies.Json(version: 1, burst: 4, burstSeconds: 3600), settings);
    }

    public async Task DisposeAsync()
    {
        await _a.DisposeAsync();
        await _b.DisposeAsync();
    }

    [Fact]
    public async Task PolicyChangedOnOneReplica_IsInForceOnTheOther()
    {
        var (status, _) = await _a.SendAsync(HttpMethod.Post, "/block", """{"identity":"dev:alice"}""");
        Assert.Equal(200, status);

        var holder = _b.Services.GetRequiredService<PolicyHolder>();
        await Eventually.UntilAsync(() => holder.Current.Version == 2, TimeSpan.FromSeconds(20), "the other replica loading policy v2");
        var gate = _b.Services.GetRequiredService<SponsoredTransactionGate>();
        Assert.Equal("blocked", (await gate.AdmitAsync(Identities.Of("dev", "alice"), Call())).Reason);

        // Both replicas edited from v1 would conflict: the second one is told so.
        Assert.Equal(409, (await _b.SendAsync(HttpMethod.Put, "/policy", Policies.Json(version: 1, burst: 9))).Status);
        var (_, audit) = await _b.SendAsync(HttpMethod.Get, "/audit");
        Assert.Contains("\"action\":\"block\"", audit, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BurstLimit_IsSharedByBothReplicas()
    {
        var a = _a.Services.GetRequiredService<SponsoredTransactionGate>();
        var b = _b.Services.GetRequiredService<SponsoredTransactionGate>();
        var bob = Identities.Of("dev", "bob-" + Guid.NewGuid().ToString("N"));

        var decisions = new List<AdmissionDecision>();
        for (var i = 0; i < 3; i++)
        {
            decisions.Add(await a.AdmitAsync(bob, Call()));
            decisions.Add(await b.AdmitAsync(bob, Call()));
        }

        Assert.Equal(4, decisions.Count(d => d.IsAdmitted));
        Assert.All(decisions.Where(d => !d.IsAdmitted), d => Assert.Equal(LimitRules.Burst, d.Reason));
    }

    private static SponsoredCall Call() => new(Policies.Token, Policies.TransferData(), UInt128.Zero, null);
}
