using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OAuth;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Admission.Identity;

/// <summary>
/// ASP.NET Core's generic OAuth 2.0 handler (authorization code + PKCE, state and correlation
/// checks are the framework's) with the two things it leaves to each provider: client
/// authentication by HTTP Basic at the token endpoint (X requires it), and reading the user-info
/// endpoint into the normalized identity.
/// </summary>
internal sealed class ProviderOAuthHandler(IOptionsMonitor<ProviderOAuthOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : OAuthHandler<ProviderOAuthOptions>(options, logger, encoder)
{
    protected override async Task<OAuthTokenResponse> ExchangeCodeAsync(OAuthCodeExchangeContext context)
    {
        if (!string.Equals(Options.TokenEndpointAuthMethod, "client_secret_basic", StringComparison.Ordinal))
        {
            return await base.ExchangeCodeAsync(context);
        }

        var form = new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["code"] = context.Code,
            ["redirect_uri"] = context.RedirectUri,
            ["client_id"] = Options.ClientId,
        };
        if (context.Properties.Items.TryGetValue(OAuthConstants.CodeVerifierKey, out var verifier) && verifier is not null)
        {
            form[OAuthConstants.CodeVerifierKey] = verifier;
            context.Properties.Items.Remove(OAuthConstants.CodeVerifierKey);
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, Options.TokenEndpoint);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        // RFC 6749 2.3.1: id and secret are form-urlencoded before they are joined for Basic.
        var credentials = Uri.EscapeDataString(Options.ClientId) + ":" + Uri.EscapeDataString(Options.ClientSecret ?? "");
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials)));
        request.Content = new FormUrlEncodedContent(form);
        using var response = await Backchannel.SendAsync(request, Context.RequestAborted);
        var body = await response.Content.ReadAsStringAsync(Context.RequestAborted);
        if (!response.IsSuccessStatusCode)
        {
            return OAuthTokenResponse.Failed(new AuthenticationFailureException($"token endpoint answered {(int)response.StatusCode}"));
        }

        return OAuthTokenResponse.Success(JsonDocument.Parse(body));
    }

    protected override async Task<AuthenticationTicket> CreateTicketAsync(ClaimsIdentity identity, AuthenticationProperties properties, OAuthTokenResponse tokens)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Options.UserInformationEndpoint);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tokens.AccessToken);
        using var response = await Backchannel.SendAsync(request, Context.RequestAborted);
        if (!response.IsSuccessStatusCode)
        {
            throw new AuthenticationFailureException($"user-info endpoint answered {(int)response.StatusCode}");
        }

        using var userInfo = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Context.RequestAborted));
        var claims = UserInfoClaimReader.Read(userInfo.RootElement, Options.UserInfoClaims, Options.Issuer);
        var subject = claims.Find(claim => claim.Type == IdentityClaimTypes.Subject)?.Value;
        if (string.IsNullOrEmpty(subject))
        {
            throw new AuthenticationFailureException("user-info has no subject at the configured path");
        }

        var principal = IdentityPrincipal.Create(Options.ProviderName, Options.Issuer, subject, claims, Options.KeptClaims);
        var creating = new OAuthCreatingTicketContext(principal, properties, Context, Scheme, Options, Backchannel, tokens, userInfo.RootElement);
        await Events.CreatingTicket(creating);
        return new AuthenticationTicket(creating.Principal!, creating.Properties, Scheme.Name);
    }
}
