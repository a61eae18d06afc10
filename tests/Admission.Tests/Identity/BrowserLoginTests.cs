using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Admission.Tests.Infrastructure;
using TestInfrastructure.Identity;
using TestInfrastructure.Oidc;

namespace Admission.Tests.Identity;

/// <summary>
/// /auth/login/{provider} through a real provider's login form, ending in the session cookie:
/// the OpenID Connect handler, and the plain OAuth handler in X's and Facebook's configuration
/// pointed at the same provider's authorization, token and user-info endpoints.
/// </summary>
[Collection(OidcProviderFixture.Collection)]
public sealed class BrowserLoginTests(OidcProviderFixture oidc) : IAsyncLifetime
{
    private IdentityTestHost _host = null!;

    private OidcProviderServer Provider => oidc.Server;

    public async Task InitializeAsync() => _host = await IdentityTestHost.StartAsync(
    [
        .. IdentityTestHost.OidcProvider(Provider),
        .. IdentityTestHost.OAuthProvider(Provider, "x", OidcTestClient.XStyle, "https://x.com"),
        .. IdentityTestHost.OAuthProvider(Provider, "facebook", OidcTestClient.FacebookStyle, "https://www.facebook.com"),
    ]);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Oidc_login_ends_in_an_http_only_strict_session_cookie_that_identifies_the_user()
    {
        var setCookies = new List<string>();
        using var http = OidcLoginDriver.NewBrowserlikeClient();

        var (url, page) = await OidcLoginDriver.LogInAsync(http, _host.Url("/auth/login/test-oidc?returnUrl=/auth/me"), OidcTestUser.Alice,
            observe: response => setCookies.AddRange(response.Headers.TryGetValues("Set-Cookie", out var values) ? values : []));

        Assert.Equal("/auth/me", url.AbsolutePath);
        var me = await page!.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("test-oidc:alice", me.GetProperty("key").GetString());
        Assert.Equal("true", me.GetProperty("claims").GetProperty("verified").GetString());
        var session = Assert.Single(setCookies, cookie => cookie.StartsWith("sequencer.session=", StringComparison.Ordinal));
        Assert.Contains("httponly", session, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", session, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task X_style_oauth_login_with_basic_client_authentication_reads_the_user_info_endpoint()
    {
        var me = await LogInAndReadIdentityAsync("x", OidcTestUser.Alice);

        Assert.Equal("x:alice", me.GetProperty("key").GetString());
        Assert.Equal("https://x.com", me.GetProperty("issuer").GetString());
        var claims = me.GetProperty("claims");
        Assert.Equal("1200", claims.GetProperty("followers_count").GetString());
        Assert.Equal("1500000000", claims.GetProperty("created_at").GetString());
        Assert.Equal("true", claims.GetProperty("verified").GetString());
    }

    [Fact]
    public async Task Facebook_style_oauth_login_with_the_secret_in_the_form_reads_the_user_info_endpoint()
    {
        var me = await LogInAndReadIdentityAsync("facebook", OidcTestUser.Bob);

        Assert.Equal("facebook:bob", me.GetProperty("key").GetString());
        Assert.Equal("false", me.GetProperty("claims").GetProperty("verified").GetString());
    }

    [Fact]
    public async Task Logout_ends_the_session()
    {
        using var http = OidcLoginDriver.NewBrowserlikeClient();
        await OidcLoginDriver.LogInAsync(http, _host.Url("/auth/login/test-oidc?returnUrl=/auth/me"), OidcTestUser.Bob);
        using (var before = await http.GetAsync(_host.Url("/auth/me")))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, _host.Url("/auth/logout"));
        DevLoginDriver.SameOrigin(request, _host.BaseUrl);
        using var logout = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Redirect, logout.StatusCode);

        using var after = await http.GetAsync(_host.Url("/auth/me"));
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }

    [Fact]
    public async Task A_wrong_password_at_the_provider_gives_no_session()
    {
        using var http = OidcLoginDriver.NewBrowserlikeClient();
        var impostor = OidcTestUser.Alice with { Password = "guess" };

        var (_, page) = await OidcLoginDriver.LogInAsync(http, _host.Url("/auth/login/test-oidc?returnUrl=/auth/me"), impostor);

        Assert.Equal(HttpStatusCode.Unauthorized, page!.StatusCode);
        using var me = await http.GetAsync(_host.Url("/auth/me"));
        Assert.Equal(HttpStatusCode.Unauthorized, me.StatusCode);
    }

    [Fact]
    public async Task A_forged_callback_without_the_login_it_answers_goes_back_to_the_app_page_without_a_session()
    {
        using var http = OidcLoginDriver.NewBrowserlikeClient();

        using var callback = await http.GetAsync(_host.Url("/auth/callback/x?code=stolen&state=forged"));

        Assert.Equal(HttpStatusCode.Redirect, callback.StatusCode);
        Assert.StartsWith("/app?login_error=", callback.Headers.Location!.OriginalString);
        using var me = await http.GetAsync(_host.Url("/auth/me"));
        Assert.Equal(HttpStatusCode.Unauthorized, me.StatusCode);
    }

    [Fact]
    public async Task An_unknown_provider_is_not_found_and_return_urls_stay_on_this_host()
    {
        using var http = OidcLoginDriver.NewBrowserlikeClient();
        using var unknown = await http.GetAsync(_host.Url("/auth/login/myspace"));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);

        var (url, _) = await OidcLoginDriver.LogInAsync(http, _host.Url("/auth/login/test-oidc?returnUrl=//evil.example/steal"), OidcTestUser.Alice,
            stopAt: next => next.Host != "127.0.0.1");

        Assert.Equal("/app", url.AbsolutePath);
        Assert.Equal(_host.BaseUrl.Port, url.Port);
    }

    [Fact]
    public async Task The_provider_list_names_every_login()
    {
        using var http = new HttpClient();
        var providers = await http.GetFromJsonAsync<JsonElement>(_host.Url("/auth/providers"));

        var names = providers.EnumerateArray().Select(p => p.GetProperty("name").GetString()!).Order().ToArray();
        Assert.Equal<string[]>(["facebook", "test-oidc", "x"], names);
    }

    private async Task<JsonElement> LogInAndReadIdentityAsync(string provider, OidcTestUser user)
    {
        using var http = OidcLoginDriver.NewBrowserlikeClient();
        var (url, page) = await OidcLoginDriver.LogInAsync(http, _host.Url($"/auth/login/{provider}?returnUrl=/auth/me"), user);
        Assert.True(url.AbsolutePath == "/auth/me", $"login ended at {url}: {(int)page!.StatusCode} {await page.Content.ReadAsStringAsync()}");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        return await page.Content.ReadFromJsonAsync<JsonElement>();
    }
}
