using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.IdentityModel.Tokens;

namespace TestInfrastructure.Oidc;

/// <summary>
/// Goes through the provider's real login form with an HttpClient, as a browser would: follows
/// redirects by hand (so cookies of both sites are kept) and submits the login form when it appears.
/// </summary>
public static partial class OidcLoginDriver
{
    /// <summary>A client that keeps cookies and does not follow redirects by itself.</summary>
    public static HttpClient NewBrowserlikeClient(CookieContainer? cookies = null) =>
        new(new HttpClientHandler { CookieContainer = cookies ?? new CookieContainer(), AllowAutoRedirect = false, UseCookies = true });

    /// <summary>
    /// Starts at <paramref name="start"/> (e.g. the sequencer's /auth/login/{provider}), logs in as
    /// <paramref name="user"/> on the provider's form, and follows redirects until a page that is no redirect
    /// (or until <paramref name="stopAt"/> matches a redirect target, which is then returned unfetched).
    /// <paramref name="observe"/> sees every response on the way (e.g. to read Set-Cookie headers).
    /// </summary>
    public static async Task<(Uri Url, HttpResponseMessage? Response)> LogInAsync(HttpClient http, Uri start, OidcTestUser user, Func<Uri, bool>? stopAt = null, Action<HttpResponseMessage>? observe = null)
    {
        var url = start;
        var response = await http.GetAsync(url);
        for (var step = 0; step < 30; step++)
        {
            observe?.Invoke(response);
            if (response.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.SeeOther or HttpStatusCode.Found or HttpStatusCode.TemporaryRedirect)
            {
                var next = new Uri(url, response.Headers.Location!);
                response.Dispose();
                if (stopAt?.Invoke(next) == true)
                {
                    return (next, null);
                }

                url = next;
                response = await http.GetAsync(url);
                continue;
            }

            var body = await response.Content.ReadAsStringAsync();
            if (response.StatusCode == HttpStatusCode.OK && body.Contains("name=\"login\"", StringComparison.Ordinal))
            {
                var action = WebUtility.HtmlDecode(FormAction().Match(body).Groups[1].Value);
                response.Dispose();
                url = new Uri(url, action);
                response = await http.PostAsync(url, new FormUrlEncodedContent(new Dictionary<string, string>
                {
                    ["prompt"] = "login",
                    ["login"] = user.Login,
                    ["password"] = user.Password,
                }));
                continue;
            }

            return (url, response);
        }

        throw new InvalidOperationException("login did not finish within 30 steps at " + url);
    }

    /// <summary>An ID token the provider issued to <paramref name="client"/> for <paramref name="user"/>, through the real code flow with PKCE.</summary>
    public static async Task<string> GetIdTokenAsync(OidcProviderServer provider, OidcTestUser user, OidcTestClient? client = null)
    {
        client ??= OidcTestClient.Sequencer;
        var redirectUri = $"http://127.0.0.1:9{client.RedirectPaths[^1]}";
        var verifier = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
        var challenge = Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        var authorize = new Uri($"{provider.AuthorizationEndpoint}?client_id={client.ClientId}&response_type=code&scope=openid%20profile" +
            $"&redirect_uri={Uri.EscapeDataString(redirectUri)}&code_challenge={challenge}&code_challenge_method=S256" +
            $"&state=s{Guid.NewGuid():N}&nonce=n{Guid.NewGuid():N}");
        using var http = NewBrowserlikeClient();
        var (callback, page) = await LogInAsync(http, authorize, user, url => url.ToString().StartsWith(redirectUri, StringComparison.Ordinal));
        var code = Regex.Match(callback.Query, "[?&]code=([^&]+)").Groups[1].Value;
        if (code.Length == 0)
        {
            var text = page is null ? "" : await page.Content.ReadAsStringAsync();
            throw new InvalidOperationException($"no code in {callback}: {(int?)page?.StatusCode} {text}\n{provider.RecentOutput}");
        }

        var form = new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["code"] = Uri.UnescapeDataString(code),
            ["redirect_uri"] = redirectUri,
            ["code_verifier"] = verifier,
            ["client_id"] = client.ClientId,
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, provider.TokenEndpoint);
        if (client.TokenEndpointAuthMethod == "client_secret_basic")
        {
            request.Headers.Authorization = new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(client.ClientId + ":" + client.ClientSecret)));
        }
        else
        {
            form["client_secret"] = client.ClientSecret;
        }

        request.Content = new FormUrlEncodedContent(form);
        using var response = await http.SendAsync(request);
        var tokens = await response.Content.ReadFromJsonAsync<JsonElement>();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"token endpoint: {(int)response.StatusCode} {tokens}");
        }

        return tokens.GetProperty("id_token").GetString()!;
    }

    [GeneratedRegex("<form[^>]*action=\"([^\"]+)\"", RegexOptions.IgnoreCase)]
    private static partial Regex FormAction();
}
