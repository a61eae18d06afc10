using System.Net;
using System.Net.Http.Headers;
using TestInfrastructure.Oidc;
using Xunit;

namespace TestInfrastructure.Identity;

/// <summary>
/// A person's browser for the security tests: logs in through the dev provider and then sends
/// requests with the session cookie, from the host's own page or as another page (another origin)
/// would. The cookie can be taken out and replayed elsewhere, as an attacker holding a copy would.
/// </summary>
public sealed class SessionCookieClient : IDisposable
{
    public const string CookieName = "sequencer.session";

    private readonly CookieContainer _cookies = new();
    private readonly HttpClient _browser;
    private readonly HttpClient _plain = new(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false });

    public SessionCookieClient(Uri host)
    {
        Host = host;
        _browser = OidcLoginDriver.NewBrowserlikeClient(_cookies);
    }

    public Uri Host { get; }

    /// <summary>The session cookie's value as the browser holds it now, or null.</summary>
    public string? Session => _cookies.GetCookies(Host)[CookieName]?.Value;

    /// <summary>Logs in; returns where the login sent the browser in the end.</summary>
    public async Task<string> LogInAsync(string user, bool @operator = false, string returnUrl = "/auth/me")
    {
        var landed = await DevLoginDriver.LogInAsync(_browser, Host, user, @operator, returnUrl);
        Assert.NotNull(Session);
        return landed;
    }

    public Task<HttpResponseMessage> GetAsync(string path) => _browser.GetAsync(new Uri(Host, path));

    /// <summary>A request as one of the host's own pages sends it (same origin, JSON).</summary>
    public Task<HttpResponseMessage> FromPageAsync(HttpMethod method, string path, string json) =>
        _browser.SendAsync(DevLoginDriver.JsonFromPage(method, Host, path, json));

    /// <summary>A request the browser sends for a page of another origin on the same site (another port), with the cookie attached.</summary>
    public Task<HttpResponseMessage> FromOtherOriginAsync(HttpMethod method, string path, string? body, string contentType = "text/plain")
    {
        var request = new HttpRequestMessage(method, new Uri(Host, path));
        if (body is not null)
        {
            request.Content = new StringContent(body);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        }

        request.Headers.Add("Origin", $"http://127.0.0.1:{Host.Port + 1}");
        request.Headers.Add("Sec-Fetch-Site", "same-site");
        return _browser.SendAsync(request);
    }

    /// <summary>Sends <paramref name="cookie"/> (a copied session) to <paramref name="host"/> from that host's own page.</summary>
    public async Task<HttpResponseMessage> ReplayAsync(Uri host, string cookie, HttpMethod method, string path, string? json = null)
    {
        var request = json is null ? new HttpRequestMessage(method, new Uri(host, path)) : DevLoginDriver.JsonFromPage(method, host, path, json);
        if (json is null && method != HttpMethod.Get)
        {
            DevLoginDriver.SameOrigin(request, host);
        }

        request.Headers.Add("Cookie", CookieName + "=" + cookie);
        return await _plain.SendAsync(request);
    }

    public void Dispose()
    {
        _browser.Dispose();
        _plain.Dispose();
    }
}
