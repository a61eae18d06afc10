using System.Net;
using System.Net.Http.Json;

namespace Admission.Identity.Dev;

/// <summary>
/// Answers the host's own OpenID Connect handler's token request in process, so the dev login
/// needs no HTTP call from the host to itself (whose public URL it may not know).
/// </summary>
internal sealed class DevTokenBackchannel(DevIdentityProvider provider) : HttpMessageHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var form = request.Content is null
            ? new Dictionary<string, string>()
            : (await request.Content.ReadAsStringAsync(cancellationToken)).Split('&', StringSplitOptions.RemoveEmptyEntries)
                .Select(pair => pair.Split('=', 2))
                .ToDictionary(pair => WebUtility.UrlDecode(pair[0]), pair => pair.Length > 1 ? WebUtility.UrlDecode(pair[1]) : "");
        var (idToken, error) = provider.Redeem(
            form.GetValueOrDefault("code"),
            form.GetValueOrDefault("client_id"),
            form.GetValueOrDefault("client_secret"),
            form.GetValueOrDefault("redirect_uri"),
            form.GetValueOrDefault("code_verifier"));
        if (idToken is null)
        {
            return new HttpResponseMessage(HttpStatusCode.BadRequest) { Content = JsonContent.Create(new { error }) };
        }

        return new HttpResponseMessage(HttpStatusCode.OK)
        {
            Content = JsonContent.Create(new DevTokenResponse(idToken, Guid.NewGuid().ToString("N"), "Bearer", 3600)),
        };
    }
}
