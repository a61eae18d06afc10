using System.Security.Claims;
using Admission.Identity.Dev;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace Admission.Identity;

/// <summary>Registers identity: one JwtBearer scheme per OIDC issuer, login handlers, the session cookie.</summary>
public static class IdentityServiceCollectionExtensions
{
    public static IServiceCollection AddAdmissionIdentity(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        var section = configuration.GetSection(IdentityOptions.Section);
        var options = section.Get<IdentityOptions>() ?? new IdentityOptions();
        services.AddOptions<IdentityOptions>().Bind(section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<IdentityOptions>, IdentityOptionsValidator>();
        var problems = IdentityOptionsValidator.Problems(options);
        if (problems.Count > 0)
        {
            // Schemes are fixed at registration, so a bad provider entry must stop the host here.
            throw new OptionsValidationException(IdentityOptions.Section, typeof(IdentityOptions), problems);
        }

        // With the default (background) refresh, the first token under a provider's new key would fail
        // even though the handler asked for fresh keys. Blocking refresh makes that request wait for the
        // new JWKS instead; it happens at most once per KeyRefreshMinSeconds per provider.
        AppContext.SetSwitch("Switch.Microsoft.IdentityModel.UpdateConfigAsBlocking", true);

        var issuers = new BearerIssuers();
        services.AddSingleton(issuers);
        services.AddSingleton<IIdentityAuthenticator, IdentityAuthenticator>();
        services.AddSingleton(new IdentityProviderDirectory(options, DevEnabled(options, environment)));

        var authentication = services.AddAuthentication();
        authentication.AddCookie(IdentitySchemes.Session, cookie =>
        {
            cookie.Cookie.Name = options.Session.CookieName;
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Lax;
            cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            cookie.ExpireTimeSpan = TimeSpan.FromMinutes(options.Session.LifetimeMinutes);
            cookie.SlidingExpiration = true;
            // An API caller without a session gets a status code, not a redirect to a login page.
            cookie.Events.OnRedirectToLogin = context => SetStatus(context.Response, StatusCodes.Status401Unauthorized);
            cookie.Events.OnRedirectToAccessDenied = context => SetStatus(context.Response, StatusCodes.Status403Forbidden);
        });

        var kept = options.EffectiveKeptClaims.ToHashSet(StringComparer.Ordinal);
        foreach (var (name, provider) in options.Providers)
        {
            if (provider.Kind == IdentityProviderKind.Oidc)
            {
                if (provider.AcceptBearerTokens)
                {
                    AddBearer(authentication, name, provider, kept);
                    issuers.Add(provider.Issuer ?? provider.Authority!, name);
                }

                if (!string.IsNullOrEmpty(provider.ClientId))
                {
                    AddOidcLogin(authentication, name, provider, kept);
                }
            }
            else
            {
                AddOAuthLogin(authentication, name, provider, kept);
            }
        }

        if (DevEnabled(options, environment))
        {
            AddDevProvider(services, authentication, options, kept);
            issuers.Add(options.DevProvider.Issuer, IdentitySchemes.DevProvider);
        }

        return services;
    }

    private static bool DevEnabled(IdentityOptions options, IHostEnvironment environment) =>
        options.DevProvider.Enabled ?? environment.IsDevelopment();

    private static Task SetStatus(HttpResponse response, int status)
    {
        response.StatusCode = status;
        return Task.CompletedTask;
    }

    private static TokenValidationParameters BearerValidation(IdentityProviderOptions provider, IEnumerable<string> audiences) => new()
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

    private static void AddBearer(AuthenticationBuilder authentication, string name, IdentityProviderOptions provider, IReadOnlySet<string> kept)
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

    private static JwtBearerEvents BearerEvents(string name, IReadOnlySet<string> kept) => new()
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

    private static void AddOidcLogin(AuthenticationBuilder authentication, string name, IdentityProviderOptions provider, IReadOnlySet<string> kept)
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

    private static void ConfigureOidcLogin(OpenIdConnectOptions oidc, string name, IReadOnlyCollection<string> scopes, IReadOnlySet<string> kept)
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
                LogSuccess(context.HttpContext, name);
                return Task.CompletedTask;
            },
            OnRemoteFailure = context => LoginFailedAsync(context, name),
        };
    }

    private static void ConfigureCorrelationCookies(RemoteAuthenticationOptions remote)
    {
        remote.CorrelationCookie.SameSite = SameSiteMode.Lax;
        remote.CorrelationCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
    }

    private static void AddOAuthLogin(AuthenticationBuilder authentication, string name, IdentityProviderOptions provider, IReadOnlySet<string> kept)
    {
        authentication.AddOAuth<ProviderOAuthOptions, ProviderOAuthHandler>(IdentitySchemes.Login(name), provider.DisplayName ?? name, oauth =>
        {
            oauth.ProviderName = name;
            oauth.Issuer = provider.Issuer ?? new Uri(provider.AuthorizationEndpoint!).GetLeftPart(UriPartial.Authority);
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
            oauth.Events.OnTicketReceived = context =>
            {
                LogSuccess(context.HttpContext, name);
                return Task.CompletedTask;
            };
            oauth.Events.OnRemoteFailure = context => LoginFailedAsync(context, name);
        });
    }

    private static void AddDevProvider(IServiceCollection services, AuthenticationBuilder authentication, IdentityOptions options, IReadOnlySet<string> kept)
    {
        var dev = new DevIdentityProvider(options.DevProvider, TimeProvider.System);
        services.AddSingleton(dev);
        services.AddHostedService<DevIdentityProviderNotice>();
        var configuration = dev.Configuration(DevIdentityEndpoints.AuthorizePath, "http://dev-identity.invalid" + DevIdentityEndpoints.TokenPath);
        authentication.AddJwtBearer(IdentitySchemes.Bearer(IdentitySchemes.DevProvider), bearer =>
        {
            bearer.Configuration = configuration;
            bearer.MapInboundClaims = false;
            var provider = new IdentityProviderOptions { Issuer = dev.Issuer, AllowedAlgorithms = [SecurityAlgorithms.RsaSha256] };
            bearer.TokenValidationParameters = BearerValidation(provider, [dev.ClientId]);
            bearer.Events = BearerEvents(IdentitySchemes.DevProvider, kept);
        });
        authentication.AddOpenIdConnect(IdentitySchemes.Login(IdentitySchemes.DevProvider), oidc =>
        {
            oidc.Configuration = configuration;
            oidc.ClientId = dev.ClientId;
            oidc.ClientSecret = dev.ClientSecret;
            // The token request is answered in process: the host need not know its own public URL.
            oidc.Backchannel = new HttpClient(new DevTokenBackchannel(dev));
            ConfigureOidcLogin(oidc, IdentitySchemes.DevProvider, ["profile"], kept);
        });
    }

    private static void LogSuccess(HttpContext context, string provider) =>
        IdentityLog.LoginSucceeded(context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Admission.Identity"), provider);

    /// <summary>A failed or cancelled login goes back to the user page with a reason, never a 500.</summary>
    private static Task LoginFailedAsync(RemoteFailureContext context, string provider)
    {
        var reason = context.Failure?.Message ?? "login failed";
        IdentityLog.LoginFailed(context.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Admission.Identity"), provider, reason);
        context.Response.Redirect("/app?login_error=" + Uri.EscapeDataString("login through " + provider + " failed"));
        context.HandleResponse();
        return Task.CompletedTask;
    }
}
