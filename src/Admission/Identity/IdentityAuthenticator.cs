using Admission.Identity.Sessions;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Admission.Identity;

/// <summary>
/// Bearer token first (validated by the JwtBearer scheme of the issuer it names), else the login
/// session cookie. A request that carries a Bearer token never falls back to the cookie: a bad
/// token is an error, not an anonymous request. A write on the strength of the cookie must come from
/// this host's own pages (<see cref="SameOriginRequest"/>).
/// </summary>
internal sealed class IdentityAuthenticator(BearerIssuers issuers) : IIdentityAuthenticator
{
    private const string BearerPrefix = "Bearer ";

    public async ValueTask<IdentityResult> AuthenticateAsync(HttpContext context)
    {
        var authorization = context.Request.Headers.Authorization.ToString();
        if (authorization.Length > 0)
        {
            if (!authorization.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase))
            {
                return IdentityResult.Fail("only Bearer tokens are accepted in the Authorization header");
            }

            return await AuthenticateBearerAsync(context, authorization[BearerPrefix.Length..].Trim());
        }

        var session = await context.AuthenticateAsync(IdentitySchemes.Session);
        if (session.Succeeded && IdentityPrincipal.ToIdentity(session.Principal) is { } identity)
        {
            return SameOriginRequest.Problem(context.Request, requireJson: true) is { } crossSite
                ? IdentityResult.Refuse(crossSite)
                : IdentityResult.Success(identity);
        }

        return context.Items.TryGetValue(SessionLifecycle.RefusalItem, out var refused) && refused is string why
            ? IdentityResult.Fail("not logged in: " + why)
            : IdentityResult.Fail("not logged in: send a Bearer ID token or log in at /auth/login/{provider}");
    }

    private async ValueTask<IdentityResult> AuthenticateBearerAsync(HttpContext context, string token)
    {
        string issuer;
        try
        {
            issuer = new JsonWebToken(token).Issuer;
        }
        catch (Exception e) when (e is ArgumentException or FormatException or System.Text.Json.JsonException)
        {
            return IdentityResult.Fail(TokenFailureReason.Malformed);
        }

        if (string.IsNullOrEmpty(issuer) || !issuers.TryGetProvider(issuer, out var provider))
        {
            return IdentityResult.Fail(TokenFailureReason.UnknownIssuer);
        }

        var result = await context.AuthenticateAsync(IdentitySchemes.Bearer(provider));
        if (result.Succeeded && IdentityPrincipal.ToIdentity(result.Principal) is { } identity)
        {
            return IdentityResult.Success(identity);
        }

        return IdentityResult.Fail(TokenFailureReason.From(result.Failure));
    }
}
