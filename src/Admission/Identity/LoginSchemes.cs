using Admission.Identity.Sessions;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace Admission.Identity;

/// <summary>Browser login schemes: the OpenID Connect handler and the generic OAuth 2.0 handler, both ending in the session cookie.</summary>
internal static class LoginSchemes
{
    internal static void AddOidcLogin(AuthenticationBuilder authentication, string name, IdentityProviderOptions provider, IReadOnlySet<string> kept)
    {
        authentication.AddOpenIdConnect(IdentitySchemes.Login(name), oidc =>
        {
            oidc.Authority = provider.Authority;
            if (!string.IsNullOrEmpty(provider.MetadataAddress))
            {
                oidc.MetadataAddress = provider.MetadataAddress;
            }

            oidc.RequireHttpsMetadata = provider.RequireHttpsMetadata;
            oidc.ClientId = provider.ClientId;
            oidc.ClientSecret = ClientSecretSource.Read(provider);
            ConfigureOidcLogin(oidc, name, provider.Scopes, kept);
            oidc.TokenValidationParameters.ValidAlgorithms = provider.EffectiveAlgorithms;
        });
    }

    internal static void ConfigureOidcLogin(OpenIdConnectOptions oidc, string name, IReadOnlyCollection<string> scopes, IReadOnlySet<string> kept)
    {
        oidc.SignInScheme = IdentitySchemes.Session;
        oidc.CallbackPath = IdentitySchemes.CallbackPath(name);
        oidc.ResponseType = OpenIdConnectResponseType.Code;
        // Query, not form_post: the callback is then a top-level GET, which carries SameSite=Lax cookies.
        oidc.ResponseMode = OpenIdConnectResponseMode.Query;
        oidc.UsePkce = true;
        oidc.MapInboundClaims = false;
        oidc.SaveTokens = false;
        oidc.GetClaimsFromUserInfoEndpoint = false;
        oidc.Scope.Clear();
        oidc.Scope.Add("openid");
        foreach (var scope in scopes)
        {
            oidc.Scope.Add(scope);
        }

        ConfigureCorrelationCookies(oidc);
        oidc.NonceCookie.SameSite = SameSiteMode.Lax;
        oidc.NonceCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        oidc.Events = new OpenIdConnectEvents
        {
            OnTicketReceived = context =>
            {
                var principal = context.Principal!;
                var issuer = principal.FindFirst(IdentityClaimTypes.Issuer)?.Value ?? principal.FindFirst(IdentityClaimTypes.Subject)?.Issuer ?? "";
                var subject = principal.FindFirst(IdentityClaimTypes.Subject)?.Value ?? "";
                context.Principal = IdentityPrincipal.Create(name, issuer, subject, principal.Claims, kept);
                return StartSessionAsync(context, name);
            },
            OnRemoteFailure = context => LoginFailedAsync(context, name),
        };
    }

    private static void ConfigureCorrelationCookies(RemoteAuthenticationOptions remote)
    {
        remote.CorrelationCookie.SameSite = SameSiteMode.Lax;
        remote.CorrelationCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
    }

    internal static void AddOAuthLogin(AuthenticationBuilder authentication, string name, IdentityProviderOptions provider, IReadOnlySet<string> kept)
    {
        authentication.AddOAuth<ProviderOAuthOptions, ProviderOAuthHandler>(IdentitySchemes.Login(name), provider.DisplayName ?? name, oauth =>
        {
            oauth.ProviderName = name;
            oauth.Issuer = provider.ExpectedIssuer;
            oauth.ClientId = provider.ClientId!;
            oauth.ClientSecret = ClientSecretSource.Read(provider)!;
            oauth.AuthorizationEndpoint = provider.AuthorizationEndpoint!;
            oauth.TokenEndpoint = provider.TokenEndpoint!;
            oauth.UserInformationEndpoint = provider.UserInformationEndpoint!;
            oauth.TokenEndpointAuthMethod = provider.TokenEndpointAuthMethod;
            oauth.UserInfoClaims = provider.UserInfoClaims;
            oauth.KeptClaims = kept;
            oauth.CallbackPath = IdentitySchemes.CallbackPath(name);
            oauth.SignInScheme = IdentitySchemes.Session;
            oauth.UsePkce = true;
            oauth.SaveTokens = false;
            foreach (var scope in provider.Scopes)
            {
                oauth.Scope.Add(scope);
            }

            ConfigureCorrelationCookies(oauth);
            oauth.Events.OnTicketReceived = context => StartSessionAsync(context, name);
            oauth.Events.OnRemoteFailure = context => LoginFailedAsync(context, name);
        });
    }

    /// <summary>A completed login becomes a recorded session; if the session store is down, the person is told so instead.</summary>
    private static async Task StartSessionAsync(TicketReceivedContext context, string provider)
    {
        var problem = await context.HttpContext.RequestServices.GetRequiredService<SessionLifecycle>()
            .BeginAsync(context.Principal!, context.HttpContext.RequestAborted);
        var logger = context.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Admission.Identity");
        if (problem is not null)
        {
            IdentityLog.LoginFailed(logger, provider, problem);
            context.Response.Redirect("/app?login_error=" + Uri.EscapeDataString(problem));
            context.HandleResponse();
            return;
        }

        IdentityLog.LoginSucceeded(logger, provider);
        if (IdentityPrincipal.ToIdentity(context.Principal) is { } joining
            && context.HttpContext.RequestServices.GetService<ILoginCompletion>() is { } completion
            && await completion.CompleteAsync(context.HttpContext, joining) is { } link)
        {
            // The person learns on the page they return to whether the two logins are now one person.
            var target = context.ReturnUri ?? "/app";
            context.ReturnUri = target + (target.Contains('?', StringComparison.Ordinal) ? "&" : "?") + (link.Succeeded ? "linked=" : "link_error=") + Uri.EscapeDataString(link.Message);
        }
    }

    /// <summary>A failed or cancelled login goes back to the user page with a reason, never a 500.</summary>
    internal static Task LoginFailedAsync(RemoteFailureContext context, string provider)
    {
        var reason = context.Failure?.Message ?? "login failed";
        IdentityLog.LoginFailed(context.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Admission.Identity"), provider, reason);
        context.Response.Redirect("/app?login_error=" + Uri.EscapeDataString("login through " + provider + " failed"));
        context.HandleResponse();
        return Task.CompletedTask;
    }
}
