using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Admission.Identity.Dev;

namespace TestInfrastructure.Identity;

/// <summary>
/// Logs in through the host's built-in dev provider with an HttpClient, as a browser would: the
/// login route, the dev login form (with the facts chosen on it), the callback. The client must keep
/// cookies and not follow redirects (<see cref="Oidc.OidcLoginDriver.NewBrowserlikeClient"/>).
/// </summary>
public static partial class DevLoginDriver
{
    /// <summary>Logs in as <paramref name="user"/>; returns where the callback sent the browser (the return URL).</summary>
    public static async Task<string> LogInAsync(HttpClient http, Uri host, string user, bool @operator = false, string returnUrl = "/auth/me",
        IReadOnlyDictionary<string, string>? facts = null)
    {
        using var login = await http.GetAsync(new Uri(host, "/auth/login/dev?returnUrl=" + Uri.EscapeDataString(returnUrl)));
        if (login.StatusCode != HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException($"/auth/login/dev answered {(int)login.StatusCode}: {await login.Content.ReadAsStringAsync()}");
        }

        using var form = await http.GetAsync(new Uri(host, login.Headers.Location!));
        var html = await form.Content.ReadAsStringAsync();
        var fields = HiddenField().Matches(html).ToDictionary(m => m.Groups[1].Value, m => WebUtility.HtmlDecode(m.Groups[2].Value));
        fields["username"] = user;
        if (@operator)
        {
            fields["operator"] = "on";
        }

        foreach (var (name, value) in facts ?? new Dictionary<string, string>())
        {
            fields[name] = value;
        }

        using var post = new HttpRequestMessage(HttpMethod.Post, new Uri(host, DevIdentityEndpoints.AuthorizePath)) { Content = new FormUrlEncodedContent(fields) };
        SameOrigin(post, host);
        using var posted = await http.SendAsync(post);
        if (posted.StatusCode != HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException($"the dev login form answered {(int)posted.StatusCode}: {await posted.Content.ReadAsStringAsync()}");
        }

        using var callback = await http.GetAsync(posted.Headers.Location!);
        return callback.Headers.Location?.OriginalString ?? throw new InvalidOperationException($"the callback answered {(int)callback.StatusCode}");
    }

    /// <summary>The headers a browser puts on a request from one of <paramref name="host"/>'s own pages.</summary>
    public static void SameOrigin(HttpRequestMessage request, Uri host)
    {
        request.Headers.Add("Origin", host.GetLeftPart(UriPartial.Authority));
        request.Headers.Add("Sec-Fetch-Site", "same-origin");
    }

    /// <summary>A JSON POST as the pages send it: same origin, Content-Type application/json.</summary>
    public static HttpRequestMessage JsonFromPage(HttpMethod method, Uri host, string path, string json)
    {
        var request = new HttpRequestMessage(method, new Uri(host, path)) { Content = new StringContent(json) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        SameOrigin(request, host);
        return request;
    }

    [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\">")]
    private static partial Regex HiddenField();
}
