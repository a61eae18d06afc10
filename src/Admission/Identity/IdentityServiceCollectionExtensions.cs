using Admission.Options;
using Admission.Identity.Sessions;
using Admission.Limits;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Admission.Identity;

/// <summary>Registers identity: one JwtBearer scheme per OIDC issuer, login handlers, the session cookie.</summary>
public static class IdentityServiceCollectionExtensions
{
    public static IServiceCollection AddAdmissionIdentity(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        var section = configuration.GetSection(IdentityOptions.Section);
        var options = section.Get<IdentityOptions>() ?? new IdentityOptions();
        services.AddOptions<IdentityOptions>().Bind(section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<IdentityOptions>, IdentityOptionsAnnotationsValidator>();
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
        AddSessions(services, configuration, options.Session, environment);

        var authentication = services.AddAuthentication();
        authentication.AddCookie(IdentitySchemes.Session, cookie =>
        {
            cookie.Cookie.Name = options.Session.CookieName;
            cookie.Cookie.HttpOnly = true;
            // Strict: the pages are static and read the session with same-origin fetches, so nothing
            // needs the cookie on a navigation that another site started.
            cookie.Cookie.SameSite = SameSiteMode.Strict;
            cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            cookie.ExpireTimeSpan = TimeSpan.FromMinutes(options.Session.LifetimeMinutes);
            cookie.SlidingExpiration = true;
            // An API caller without a session gets a status code, not a redirect to a login page.
            cookie.Events.OnRedirectToLogin = context => SetStatus(context.Response, StatusCodes.Status401Unauthorized);
            cookie.Events.OnRedirectToAccessDenied = context => SetStatus(context.Response, StatusCodes.Status403Forbidden);
            cookie.Events.OnValidatePrincipal = context => context.HttpContext.RequestServices.GetRequiredService<SessionLifecycle>().ValidateAsync(context);
        });

        var kept = options.EffectiveKeptClaims.ToHashSet(StringComparer.Ordinal);
        foreach (var (name, provider) in options.Providers)
        {
            if (provider.Kind == IdentityProviderKind.Oidc)
            {
                if (provider.AcceptBearerTokens)
                {
                    BearerSchemes.AddBearer(authentication, name, provider, kept);
                    issuers.Add(provider.ExpectedIssuer, name);
                }

                if (!string.IsNullOrEmpty(provider.ClientId))
                {
                    LoginSchemes.AddOidcLogin(authentication, name, provider, kept);
                }
            }
            else
            {
                LoginSchemes.AddOAuthLogin(authentication, name, provider, kept);
            }
        }

        if (DevEnabled(options, environment))
        {
            DevProviderSchemes.AddDevProvider(services, authentication, options, kept);
            issuers.Add(options.DevProvider.Issuer, IdentitySchemes.DevProvider);
        }

        SessionKeyRing.LoadAtFirstUse(services);
        return services;
    }

    // Sessions are recorded where the rate limits live (embedded, or Redis shared by the replicas).
    private static void AddSessions(IServiceCollection services, IConfiguration configuration, SessionOptions session, IHostEnvironment environment)
    {
        services.AddOptions<AdmissionOptions>().Bind(configuration.GetSection(AdmissionOptions.Section));
        services.TryAddSingleton(TimeProvider.System);
        services.AddRedisConnection();
        services.TryAddSingleton<ISessionStore>(sp => AdmissionStores.UsesRedis(sp)
            ? new RedisSessionStore(sp.GetRequiredService<RedisConnection>(), sp.GetRequiredService<TimeProvider>())
            : new EmbeddedSessionStore(sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<SessionLifecycle>();
        SessionKeyRing.Add(services, session, environment);
    }

    private static bool DevEnabled(IdentityOptions options, IHostEnvironment environment) =>
        options.DevProvider.Enabled ?? environment.IsDevelopment();

    private static Task SetStatus(HttpResponse response, int status)
    {
        response.StatusCode = status;
        return Task.CompletedTask;
    }
}
