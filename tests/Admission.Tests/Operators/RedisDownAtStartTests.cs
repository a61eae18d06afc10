using Admission.Limits;
using Admission.Policy;
using Admission.Sponsorship;
using Admission.Tests.Infrastructure;
using Admission.Tests.Limits;
using Microsoft.Extensions.DependencyInjection;
using TestInfrastructure.Redis;
using TestInfrastructure;

namespace Admission.Tests.Operators;

/// <summary>A replica that starts while Redis is down still starts, refuses sponsorship, and joins in once Redis is up.</summary>
public sealed class RedisDownAtStartTests : IAsyncLifetime
{
    private RedisServer _redis = null!;

    public async Task InitializeAsync() => _redis = await RedisServer.StartAsync();

    public async Task DisposeAsync() => await _redis.DisposeAsync();

    [Fact]
    public async Task HostStartsWithoutRedis_FailsClosed_ThenFollowsTheSharedPolicy()
    {
        _redis.Kill();
        var settings = new Dictionary<string, string?>
        {
            ["Admission:Store"] = "Redis",
            ["Admission:RedisTimeoutMs"] = TestRedis.LimiterTimeoutMs,
            ["Admission:RedisConfiguration"] = _redis.ConnectionString,
        };
        await using var late = await AdmissionHost.StartAsync(Policies.Json(version: 1), settings);
        var gate = late.Services.GetRequiredService<SponsoredTransactionGate>();
        var alice = Identities.Of("dev", "alice");
        var call = new SponsoredCall(Policies.Token, Policies.TransferData(), UInt128.Zero, null);

        Assert.Equal(LimitRules.LimiterUnavailable, (await gate.AdmitAsync(alice, call)).Reason);
        Assert.Equal(200, (await late.SendAsync(HttpMethod.Get, "/policy")).Status);
        Assert.Equal(503, (await late.SendAsync(HttpMethod.Post, "/block", """{"identity":"dev:eve"}""")).Status);

        await _redis.RestartAsync();
        await Eventually.UntilAsync(async () => (await gate.AdmitAsync(alice, call)).IsAdmitted, TimeSpan.FromSeconds(30), "sponsored admission once Redis is up");

        await using var other = await AdmissionHost.StartAsync(Policies.Json(version: 1), settings);
        Assert.Equal(200, (await other.SendAsync(HttpMethod.Post, "/block", """{"identity":"dev:alice"}""")).Status);
        var holder = late.Services.GetRequiredService<PolicyHolder>();
        await Eventually.UntilAsync(() => holder.Current.Blocked.Contains("dev:alice"), TimeSpan.FromSeconds(30), "the late replica seeing the block");
    }
}
