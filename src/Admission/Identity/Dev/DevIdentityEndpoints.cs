using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Admission.Identity.Dev;

/// <summary>The dev provider's HTTP face: discovery, JWKS, the login form and the token endpoint.</summary>
internal static class DevIdentityEndpoints
{
    public const string BasePath = "/dev/oidc";
    public const string AuthorizePath = BasePath + "/authorize";
    public const string TokenPath = BasePath + "/token";

    public static IEndpointRouteBuilder MapDevIdentityProvider(this IEndpointRouteBuilder endpoints)
    {
        if (endpoints.ServiceProvider.GetService<DevIdentityProvider>() is null)
        {
            return endpoints;
        }

        endpoints.MapGet(BasePath + "/.well-known/openid-configuration", (HttpContext context, DevIdentityProvider provider) =>
        {
            var origin = $"{context.Request.Scheme}://{context.Request.Host}{context.Request.PathBase}";
            return Results.Json(new Dictionary<string, object>
            {
                ["issuer"] = provider.Issuer,
                ["authorization_endpoint"] = origin + AuthorizePath,
                ["token_endpoint"] = origin + TokenPath,
                ["jwks_uri"] = origin + BasePath + "/jwks",
                ["response_types_supported"] = new[] { "code" },
                ["subject_types_supported"] = new[] { "public" },
                ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
                ["code_challenge_methods_supported"] = new[] { "S256" },
                ["token_endpoint_auth_methods_supported"] = new[] { "client_secret_post" },
            });
        });
        endpoints.MapGet(BasePath + "/jwks", (DevIdentityProvider provider) =>
        {
            var jwk = provider.PublicJwk;
            return Results.Json(new { keys = new[] { new { kty = jwk.Kty, use = jwk.Use, alg = jwk.Alg, kid = jwk.Kid, n = jwk.N, e = jwk.E } } });
        });
        endpoints.MapGet(AuthorizePath, ShowLoginForm);
        endpoints.MapPost(AuthorizePath, LogInAsync);
        endpoints.MapPost(TokenPath, RedeemAsync);
        return endpoints;
    }

    private static IResult ShowLoginForm(HttpContext context, DevIdentityProvider provider)
    {
        var query = context.Request.Query;
        if (Validate(context, provider, query["client_id"], query["redirect_uri"], query["response_type"], query["code_challenge_method"]) is { } error)
        {
            return Results.BadRequest(new { error });
        }

        var html = HtmlEncoder.Default;
        var hidden = new StringBuilder();
        foreach (var name in (string[])["client_id", "redirect_uri", "response_type", "state", "nonce", "code_challenge", "code_challenge_method", "scope"])
        {
            hidden.Append(CultureInfo.InvariantCulture, $"<input type=\"hidden\" name=\"{name}\" value=\"{html.Encode(query[name].ToString())}\">");
        }

        return Results.Content(DevLoginPage.Render(hidden.ToString()), "text/html; charset=utf-8");
    }

    private static async Task<IResult> LogInAsync(HttpContext context, DevIdentityProvider provider)
    {
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        string redirectUri = form["redirect_uri"].ToString();
        if (Validate(context, provider, form["client_id"], redirectUri, form["response_type"], form["code_challenge_method"]) is { } error)
        {
            return Results.BadRequest(new { error });
        }

        var name = form["username"].ToString().Trim();
        if (name.Length is 0 or > 64)
        {
            return Results.BadRequest(new { error = "username must be 1 to 64 characters" });
        }

        _ = long.TryParse(form["followers_count"], NumberStyles.Integer, CultureInfo.InvariantCulture, out var followers);
        _ = int.TryParse(form["account_age_days"], NumberStyles.Integer, CultureInfo.InvariantCulture, out var ageDays);
        var user = new DevUser(
            Subject: name.ToLowerInvariant(),
            Name: name,
            Verified: form["verified"] == "on",
            Role: form["operator"] == "on" ? "operator" : null,
            FollowersCount: Math.Max(0, followers),
            CreatedAt: DateTimeOffset.UtcNow.AddDays(-Math.Clamp(ageDays, 0, 36_500)));
        var challenge = form["code_challenge"].ToString();
        var nonce = form["nonce"].ToString();
        var code = provider.IssueCode(form["client_id"]!, redirectUri, nonce.Length > 0 ? nonce : null, challenge.Length > 0 ? challenge : null, user);
        var separator = redirectUri.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        return Results.Redirect($"{redirectUri}{separator}code={Uri.EscapeDataString(code)}&state={Uri.EscapeDataString(form["state"].ToString())}");
    }

    private static async Task<IResult> RedeemAsync(HttpContext context, DevIdentityProvider provider)
    {
        if (!context.Request.HasFormContentType)
        {
            return Results.BadRequest(new { error = "invalid_request" });
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var (idToken, error) = provider.Redeem(form["code"], form["client_id"], form["client_secret"], form["redirect_uri"], form["code_verifier"]);
        return idToken is null
            ? Results.BadRequest(new { error })
            : Results.Json(new DevTokenResponse(idToken, Guid.NewGuid().ToString("N"), "Bearer", 3600));
    }

    /// <summary>Only the host's own client, only back to this host, only code flow with S256 PKCE.</summary>
    private static string? Validate(HttpContext context, DevIdentityProvider provider, string? clientId, string? redirectUri, string? responseType, string? challengeMethod)
    {
        if (!string.Equals(clientId, provider.ClientId, StringComparison.Ordinal))
        {
            return "unknown client_id";
        }

        if (!Uri.TryCreate(redirectUri, UriKind.Absolute, out var redirect)
            || !string.Equals(redirect.Authority, context.Request.Host.Value, StringComparison.OrdinalIgnoreCase))
        {
            return "redirect_uri must point back to this host";
        }

        if (!string.Equals(responseType, "code", StringComparison.Ordinal))
        {
            return "only response_type=code is supported";
        }

        if (!string.IsNullOrEmpty(challengeMethod) && !string.Equals(challengeMethod, "S256", StringComparison.Ordinal))
        {
            return "only code_challenge_method=S256 is supported";
        }

        return null;
    }
}
