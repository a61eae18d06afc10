using Microsoft.Extensions.Time.Testing;
using System.Net;
using Admission.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using TestInfrastructure.Identity;

namespace Admission.Tests.Identity;

/// <summary>
/// A session that is used all the time (the operator page polls) still ends: operators after
/// OperatorMaxLifetimeMinutes, everyone after MaxLifetimeMinutes, counted from the login. The host's
/// clock is moved by the test; the cookie is renewed on the way, as sliding expiration does.
/// </summary>
public sealed class SessionLifetimeTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private IdentityTestHost _host = null!;

    public async Task InitializeAsync() => _host = await IdentityTestHost.StartAsync(
        [
            "--Admission:Identity:Session:LifetimeMinutes=60",
            "--Admission:Identity:Session:OperatorMaxLifetimeMinutes=120",
            "--Admission:Identity:Session:MaxLifetimeMinutes=1440",
        ],
        environment: "Development",
        configureServices: services => services.AddSingleton<TimeProvider>(_clock));

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task An_operator_session_kept_busy_ends_at_its_maximum_lifetime_while_a_users_goes_on()
    {
        using var operatorBrowser = new SessionCookieClient(_host.BaseUrl);
        using var userBrowser = new SessionCookieClient(_host.BaseUrl);
        await operatorBrowser.LogInAsync("olivia", @operator: true);
        await userBrowser.LogInAsync("ursula");

        for (var minutes = 40; minutes < 120; minutes += 40)
        {
            _clock.Advance(TimeSpan.FromMinutes(40));
            using var busy = await operatorBrowser.GetAsync("/auth/me");
            Assert.Equal(HttpStatusCode.OK, busy.StatusCode);
            using var user = await userBrowser.GetAsync("/auth/me");
            Assert.Equal(HttpStatusCode.OK, user.StatusCode);
        }

        _clock.Advance(TimeSpan.FromMinutes(40));
        using var expired = await operatorBrowser.GetAsync("/auth/me");
        using var stillOn = await userBrowser.GetAsync("/auth/me");

        Assert.Equal(HttpStatusCode.Unauthorized, expired.StatusCode);
        Assert.Contains("maximum lifetime", await expired.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, stillOn.StatusCode);
    }
}
