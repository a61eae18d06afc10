using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Admission.Identity.Dev;
using Admission.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using TestInfrastructure.Identity;
using TestInfrastructure.Oidc;

namespace Admission.Tests.Identity;

/// <summary>The built-in dev provider: on in Development only, a real code flow, tokens checkable against its JWKS.</summary>
public sealed class DevIdentityProviderTests
{
    [Fact]
    public async Task In_development_the_dev_login_form_logs_in_with_the_facts_chosen_on_it()
    {
        await using var host = await IdentityTestHost.StartAsync([], environment: "Development");
        using var http = OidcLoginDriver.NewBrowserlikeClient();

        var landed = await DevLoginDriver.LogInAsync(http, host.BaseUrl, "Carol", @operator: true,
            facts: new Dictionary<string, string> { ["followers_count"] = "42", ["account_age_days"] = "10" });
        Assert.Equal("/auth/me", landed);

        var me = await http.GetFromJsonAsync<JsonElement>(host.Url("/auth/me"));
        Assert.Equal("dev:carol", me.GetProperty("key").GetString());
        var claims = me.GetProperty("claims");
        Assert.Equal("operator", claims.GetProperty("role").GetString());
        Assert.Equal("false", claims.GetProperty("verified").GetString());
        Assert.Equal("42", claims.GetProperty("followers_count").GetString());
    }

    [Fact]
    public async Task Dev_id_tokens_are_accepted_as_bearer_tokens_and_verify_against_the_published_jwks()
    {
        await using var host = await IdentityTestHost.StartAsync([], environment: "Development");
        var dev = host.Services.GetRequiredService<DevIdentityProvider>();
        var token = dev.CreateIdToken(new DevUser("dave", "Dave", true, null, 5, DateTimeOffset.UtcNow.AddYears(-1)), nonce: null);
        using var http = new HttpClient();

        using var request = new HttpRequestMessage(HttpMethod.Get, host.Url("/auth/me"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var me = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);

        var discovery = await http.GetFromJsonAsync<JsonElement>(host.Url("/dev/oidc/.well-known/openid-configuration"));
        var jwks = new JsonWebKeySet(await http.GetStringAsync(discovery.GetProperty("jwks_uri").GetString()));
        var check = await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = discovery.GetProperty("issuer").GetString(),
            ValidAudience = dev.ClientId,
            IssuerSigningKeys = jwks.GetSigningKeys(),
        });
        Assert.True(check.IsValid, check.Exception?.Message);
    }

    [Fact]
    public async Task The_dev_provider_refuses_to_send_codes_to_another_site()
    {
        await using var host = await IdentityTestHost.StartAsync([], environment: "Development");
        using var http = new HttpClient();

        using var response = await http.GetAsync(host.Url(
            "/dev/oidc/authorize?client_id=sequencer-dev&response_type=code&redirect_uri=" + Uri.EscapeDataString("https://evil.example/cb")));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Outside_development_the_dev_provider_is_off_unless_configured()
    {
        await using var host = await IdentityTestHost.StartAsync([], environment: "Production");
        using var http = new HttpClient();

        using var login = await http.GetAsync(host.Url("/auth/login/dev"));
        using var jwks = await http.GetAsync(host.Url("/dev/oidc/jwks"));

        Assert.Equal(HttpStatusCode.NotFound, login.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, jwks.StatusCode);
        Assert.Null(host.Services.GetService<DevIdentityProvider>());
    }
}
