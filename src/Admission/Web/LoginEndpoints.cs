using Admission.Identity;
using Admission.Identity.Dev;
using Admission.Identity.Sessions;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Admission.Web;

/// <summary>/auth/login/{provider}, /auth/logout, /auth/me, /auth/providers and the dev provider's endpoints.</summary>
public static class LoginEndpoints
{
    private const string DefaultReturnUrl = "/app";
    private const string AuthenticationMiddlewareSetKey = "__AuthenticationMiddlewareSet";

    public static WebApplication MapAdmissionLogin(this WebApplication app)
    {
        // Remote login handlers answer their callback paths from this middleware; endpoints that authenticate per call
        // (AuthenticatesPerCall) skip it. Routing runs first (WebApplication puts it at the pipeline's start), so the
        // endpoint is known here.
        app.UseWhen(context => context.GetEndpoint()?.Metadata.GetMetadata<AuthenticatesPerCall>() is null, branch => branch.UseAuthentication());
        // WebApplication adds its own UseAuthentication for every request unless its builder carries this key, which
        // UseAuthentication sets only on the branch's copy of the properties (AuthAppBuilderExtensions).
        ((IApplicationBuilder)app).Properties[AuthenticationMiddlewareSetKey] = true;
        app.MapGet("/auth/providers", (IdentityProviderDirectory directory) =>
            Results.Json(directory.LoginProviders.Select(pair => new LoginProvider(pair.Key, pair.Value, "/auth/login/" + pair.Key))));
        app.MapGet("/auth/login/{provider}", async (HttpContext context, string provider, string? returnUrl, IdentityProviderDirectory directory) =>
        {
            if (!directory.CanLogIn(provider))
            {
                return Results.NotFound(new { error = $"no login provider named '{provider}'" });
            }

            var properties = new AuthenticationProperties { RedirectUri = LocalOrDefault(returnUrl) };
            try
            {
                await context.ChallengeAsync(IdentitySchemes.Login(provider), properties);
                return Results.Empty;
            }
            catch (Exception e) when (e is InvalidOperationException or HttpRequestException)
            {
                // The OIDC handler loads the provider's discovery document here; a provider that is down
                // is the provider's problem, reported to the person, not a server error.
                return Results.Redirect("/app?login_error=" + Uri.EscapeDataString(provider + " cannot be reached now; try again later"));
            }
        });
        app.MapPost("/auth/logout", async (HttpContext context, string? returnUrl, SessionLifecycle sessions) =>
        {
            // The logout form posts a form, not JSON; it must still come from this host's own page.
            if (SameOriginRequest.Problem(context.Request, requireJson: false) is { } crossSite)
            {
                return Results.Json(new { error = crossSite }, statusCode: StatusCodes.Status403Forbidden);
            }

            if (await sessions.EndAsync(context) == SessionStoreStatus.Unavailable)
            {
                return Results.Json(new { error = "the session store cannot be reached, so the session could not be ended; try again" }, statusCode: StatusCodes.Status503ServiceUnavailable);
            }

            await context.SignOutAsync(IdentitySchemes.Session);
            return Results.Redirect(LocalOrDefault(returnUrl));
        });
        app.MapGet("/auth/me", async (HttpContext context, IIdentityAuthenticator authenticator) =>
        {
            var result = await authenticator.AuthenticateAsync(context);
            if (result.Identity is not { } identity)
            {
                return Results.Json(new { error = result.Failure }, statusCode: StatusCodes.Status401Unauthorized);
            }

            var spend = await MeSpend.ReadAsync(context, identity);
            return Results.Json(new { provider = identity.Provider, issuer = identity.Issuer, subject = identity.Subject, key = identity.Key, claims = identity.Claims, spend });
        });
        LinkEndpoints.Map(app);
        app.MapDevIdentityProvider();
        return app;
    }

    /// <summary>
    /// Only paths on this host, so a login link cannot bounce the user to another site: ASP.NET Core's
    /// local-URL rule (one leading '/', not "//" or "/" + backslash), and, because browsers drop tabs and
    /// line breaks from URLs ("/%09/evil.example" is "//evil.example" to them) and a Location header
    /// cannot carry them, nothing but printable ASCII and no backslash anywhere.
    /// </summary>
    internal static string LocalOrDefault(string? returnUrl)
    {
        if (string.IsNullOrEmpty(returnUrl) || returnUrl[0] != '/' || (returnUrl.Length > 1 && returnUrl[1] is '/' or '\\'))
        {
            return DefaultReturnUrl;
        }

        foreach (var c in returnUrl)
        {
            if (c is < '!' or > '~' or '\\')
            {
                return DefaultReturnUrl;
            }
        }

        return returnUrl;
    }

    private sealed record LoginProvider(string Name, string DisplayName, string LoginUrl);
}
