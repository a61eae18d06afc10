using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace Admission.Identity;

/// <summary>One JwtBearer scheme per OIDC provider: what a Bearer ID token must satisfy, and key rotation.</summary>
internal static class BearerSchemes
{
    internal static TokenValidationParameters BearerValidation(IdentityProviderOptions provider, IEnumerable<string> audiences) => new()
    {
        ValidateIssuer = true,
        ValidIssuers = provider.Issuer is null ? null : [provider.Issuer],
        ValidateAudience = true,
        ValidAudiences = audiences,
        ValidateLifetime = true,
        RequireExpirationTime = true,
        ValidateIssuerSigningKey = true,
        RequireSignedTokens = true,
        // "none" can never be listed: a token must be signed with one of these.
        ValidAlgorithms = provider.EffectiveAlgorithms,
        ClockSkew = TimeSpan.FromSeconds(provider.ClockSkewSeconds),
        NameClaimType = IdentityClaimTypes.Subject,
    };

    internal static void AddBearer(AuthenticationBuilder authentication, string name, IdentityProviderOptions provider, IReadOnlySet<string> kept)
    {
        authentication.AddJwtBearer(IdentitySchemes.Bearer(name), bearer =>
        {
            bearer.Authority = provider.Authority;
            if (!string.IsNullOrEmpty(provider.MetadataAddress))
            {
                bearer.MetadataAddress = provider.MetadataAddress;
            }

            bearer.RequireHttpsMetadata = provider.RequireHttpsMetadata;
            bearer.MapInboundClaims = false;
            bearer.SaveToken = false;
            bearer.RefreshOnIssuerKeyNotFound = true;
            bearer.RefreshInterval = TimeSpan.FromSeconds(Math.Max(1, provider.KeyRefreshMinSeconds));
            var audiences = provider.Audiences.Count > 0 ? provider.Audiences : [provider.ClientId!];
            bearer.TokenValidationParameters = BearerValidation(provider, audiences);
            bearer.Events = BearerEvents(name, kept);
        });
    }

    internal static JwtBearerEvents BearerEvents(string name, IReadOnlySet<string> kept) => new()
    {
        OnTokenValidated = context =>
        {
            context.Principal = Normalize(name, context.SecurityToken, context.Principal!, kept);
            return Task.CompletedTask;
        },
        OnAuthenticationFailed = context => OnBearerFailedAsync(name, context, kept),
    };

    private static ClaimsPrincipal Normalize(string provider, SecurityToken token, ClaimsPrincipal principal, IReadOnlySet<string> kept)
    {
        var subject = principal.FindFirst(IdentityClaimTypes.Subject)?.Value ?? "";
        return IdentityPrincipal.Create(provider, token.Issuer, subject, principal.Claims, kept);
    }

    /// <summary>
    /// Two failures need a second look. A provider rotated its keys: the handler has already asked for
    /// a JWKS refresh (at most once per RefreshInterval), so check the token once more against the
    /// fresh keys instead of failing the first request that uses the new key. And a provider that
    /// cannot be reached makes every token look like it has a wrong issuer; say what really happened.
    /// </summary>
    private static async Task OnBearerFailedAsync(string name, Microsoft.AspNetCore.Authentication.JwtBearer.AuthenticationFailedContext context, IReadOnlySet<string> kept)
    {
        var logger = context.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Admission.Identity");
        var manager = context.Options.ConfigurationManager;
        if (manager is null || context.Exception is not (SecurityTokenSignatureKeyNotFoundException or SecurityTokenInvalidIssuerException))
        {
            IdentityLog.BearerRejected(logger, name, TokenFailureReason.From(context.Exception));
            return;
        }

        OpenIdConnectConfiguration configuration;
        try
        {
            configuration = await manager.GetConfigurationAsync(context.HttpContext.RequestAborted);
        }
        catch (Exception e) when (e is InvalidOperationException or HttpRequestException or IOException)
        {
            IdentityLog.BearerRejected(logger, name, TokenFailureReason.IssuerUnreachable);
            context.Fail(new InvalidOperationException(TokenFailureReason.IssuerUnreachable, e));
            return;
        }

        if (context.Exception is SecurityTokenInvalidIssuerException)
        {
            IdentityLog.BearerRejected(logger, name, TokenFailureReason.From(context.Exception));
            return;
        }

        var parameters = context.Options.TokenValidationParameters.Clone();
        parameters.IssuerSigningKeys = configuration.SigningKeys;
        parameters.ValidIssuers = [.. parameters.ValidIssuers ?? [], configuration.Issuer];
        var token = context.Request.Headers.Authorization.ToString()["Bearer ".Length..].Trim();
        var result = await new JsonWebTokenHandler { MapInboundClaims = false }.ValidateTokenAsync(token, parameters);
        if (!result.IsValid)
        {
            IdentityLog.BearerRejected(logger, name, TokenFailureReason.From(result.Exception));
            context.Fail(result.Exception);
            return;
        }

        IdentityLog.SigningKeysRefreshed(logger, name);
        context.Principal = Normalize(name, result.SecurityToken, new ClaimsPrincipal(result.ClaimsIdentity), kept);
        context.Success();
    }
}
