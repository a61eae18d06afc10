using System.Net;
using Admission.Tests.Infrastructure;
using TestInfrastructure.Identity;
using TestInfrastructure.Redis;

namespace Admission.Tests.Identity;

/// <summary>
/// Hosts on one real redis-server with the Redis store: the key ring and the session records are
/// shared, so replicas share sessions on purpose; a host that does not enable the provider (or knows
/// it under another issuer) refuses the same cookie, and a logout on one replica ends it on all.
/// </summary>
[Collection(RedisServerFixture.Collection)]
public sealed class SessionReplicaTests(RedisServerFixture redis) : IAsyncLifetime
{
    private readonly string _prefix = "sessions-" + Guid.NewGuid().ToString("N") + ":";
    private IdentityTestHost _a = null!;
    private IdentityTestHost _b = null!;

    public async Task InitializeAsync()
    {
        _a = await IdentityTestHost.StartAsync(Replica(devProvider: true));
        _b = await IdentityTestHost.StartAsync(Replica(devProvider: true));
    }

    public async Task DisposeAsync()
    {
        await _a.DisposeAsync();
        await _b.DisposeAsync();
    }

    [Fact]
    public async Task A_session_made_on_one_replica_works_on_the_other_and_logging_out_on_either_ends_it_on_both()
    {
        using var browser = new SessionCookieClient(_a.BaseUrl);
        await browser.LogInAsync("alice");
        var cookie = browser.Session!;

        using (var onB = await browser.ReplayAsync(_b.BaseUrl, cookie, HttpMethod.Get, "/auth/me"))
        {
            Assert.Equal(HttpStatusCode.OK, onB.StatusCode);
        }

        using var logout = await browser.ReplayAsync(_b.BaseUrl, cookie, HttpMethod.Post, "/auth/logout");
        Assert.Equal(HttpStatusCode.Redirect, logout.StatusCode);

        using var onA = await browser.ReplayAsync(_a.BaseUrl, cookie, HttpMethod.Get, "/auth/me");
        Assert.Equal(HttpStatusCode.Unauthorized, onA.StatusCode);
    }

    [Fact]
    public async Task A_host_sharing_key_ring_and_sessions_refuses_a_cookie_of_a_provider_it_does_not_enable_or_knows_under_another_issuer()
    {
        await using var withoutDev = await IdentityTestHost.StartAsync(Replica(devProvider: false));
        await using var otherIssuer = await IdentityTestHost.StartAsync([.. Replica(devProvider: true), "--Admission:Identity:DevProvider:Issuer=urn:another-dev-identity"]);
        using var browser = new SessionCookieClient(_a.BaseUrl);
        await browser.LogInAsync("mallory", @operator: true);

        using var notEnabled = await browser.ReplayAsync(withoutDev.BaseUrl, browser.Session!, HttpMethod.Get, "/auth/me");
        using var wrongIssuer = await browser.ReplayAsync(otherIssuer.BaseUrl, browser.Session!, HttpMethod.Get, "/auth/me");

        Assert.Equal(HttpStatusCode.Unauthorized, notEnabled.StatusCode);
        Assert.Contains("does not accept", await notEnabled.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongIssuer.StatusCode);
        Assert.Contains("does not accept", await wrongIssuer.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private string[] Replica(bool devProvider) =>
    [
        "--Admission:Store=Redis",
        $"--Admission:RedisConfiguration={redis.Server.ConnectionString}",
        $"--Admission:RedisKeyPrefix={_prefix}",
        $"--Admission:Identity:DevProvider:Enabled={(devProvider ? "true" : "false")}",
    ];
}
