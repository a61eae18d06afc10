using Admission.Options;
using Admission.Accounts;
using Admission.Limits;
using Admission.Operators;
using Admission.People;
using Admission.Policy;
using Admission.Spending;
using Admission.Sponsorship;
using Admission.Verification;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Admission.Hosting;

public static class AdmissionServiceCollectionExtensions
{
    /// <summary>
    /// Policy, limits (embedded or Redis), identity accounts, the sponsored and paid-lane gates and the
    /// operator services with the operator authorization policy (the host must run the authorization
    /// middleware after anything that sets the client address or origin, e.g. forwarded headers). The identity authenticator (<see cref="Identity.IIdentityAuthenticator"/>) is
    /// registered by the identity side; the operator API uses it when present.
    /// </summary>
    public static IServiceCollection AddAdmission(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<AdmissionOptions>()
            .Bind(configuration.GetSection(AdmissionOptions.Section))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AdmissionOptions>, AdmissionOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);

        services.AddRedisConnection();
        services.TryAddSingleton<EmbeddedRateLimitStore>();
        services.TryAddSingleton(sp => new RedisCircuit(
            TimeSpan.FromMilliseconds(Options(sp).RedisTimeoutMs),
            TimeSpan.FromMilliseconds(Options(sp).RedisBreakMs),
            sp.GetRequiredService<ILoggerFactory>().CreateLogger("Admission.Redis")));
        services.TryAddSingleton<IRateLimitStore>(sp => Options(sp).Store == AdmissionStoreKind.Redis
            ? new RedisRateLimitStore(sp.GetRequiredService<RedisConnection>(), sp.GetRequiredService<RedisCircuit>())
            : sp.GetRequiredService<EmbeddedRateLimitStore>());

        services.TryAddSingleton(sp => new VerifierDirectory(Options(sp)));
        services.TryAddSingleton(sp => ConfiguredPolicy.Load(Options(sp), sp.GetRequiredService<VerifierDirectory>()));
        services.TryAddSingleton(sp => new PolicyHolder(sp.GetRequiredService<ConfiguredPolicy>().Policy));
        services.TryAddSingleton<IPolicyStore>(sp => Options(sp).Store == AdmissionStoreKind.Redis
            ? new RedisPolicyStore(sp.GetRequiredService<RedisConnection>(), sp.GetRequiredService<ILogger<RedisPolicyStore>>())
            : new FilePolicyStore(Options(sp).DataDirectory ?? "data"));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, AdmissionStartup>());

        services.TryAddSingleton(sp => MasterSecretLoader.Load(
            Options(sp), sp.GetRequiredService<IHostEnvironment>().IsDevelopment(), sp.GetRequiredService<ILoggerFactory>().CreateLogger("Admission.MasterSecret")));
        services.TryAddSingleton(sp => new IdentityAccounts(sp.GetRequiredService<MasterSecret>()));

        // Factories: these types are public for the host, their constructors (taking Admission's own parts) are not.
        services.TryAddSingleton(sp => new AdmissionMeter(
            sp.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(),
            sp.GetRequiredService<PolicyHolder>(),
            Options(sp).Store == AdmissionStoreKind.Redis ? "redis" : "embedded",
            LimiterAvailability(sp),
            sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<RecentDecisions>();
        services.AddVerifierClient();
        services.AddSpending();
        services.TryAddSingleton<IPersonStore>(sp => Options(sp).Store == AdmissionStoreKind.Redis
            ? new RedisPersonStore(sp.GetRequiredService<RedisConnection>(), sp.GetRequiredService<RedisCircuit>())
            : new EmbeddedPersonStore(sp.GetRequiredService<TimeProvider>(), Options(sp).DataDirectory ?? "data"));
        services.TryAddSingleton(sp => new PersonLinking(
            sp.GetRequiredService<IPersonStore>(), sp.GetRequiredService<IRateLimitStore>(), sp.GetRequiredService<IPolicyStore>(), sp.GetRequiredService<PolicyHolder>(),
            sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(sp => new SponsoredTransactionGate(
            sp.GetRequiredService<PolicyHolder>(), sp.GetRequiredService<IRateLimitStore>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<AdmissionMeter>(),
            sp.GetRequiredService<RecentDecisions>(), sp.GetRequiredService<SponsorshipVerifier>(), sp.GetRequiredService<SponsoredGasPrice>(), sp.GetRequiredService<SpendAlerts>(),
            sp.GetRequiredService<PersonLinking>()));
        services.TryAddSingleton<Identity.ILoginCompletion, LoginLinkIntent>();
        services.TryAddSingleton(sp => new LinkedWalletGate(sp.GetRequiredService<SponsoredTransactionGate>(), sp.GetRequiredService<IPersonStore>()));
        services.TryAddSingleton(sp => new PaidLaneGate(
            sp.GetRequiredService<PolicyHolder>(), sp.GetRequiredService<IRateLimitStore>(), sp.GetRequiredService<EmbeddedRateLimitStore>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<AdmissionMeter>()));
        services.TryAddSingleton(sp => new BlockSharePolicy(sp.GetRequiredService<PolicyHolder>()));
        services.TryAddSingleton(sp => new UsageReader(sp.GetRequiredService<PolicyHolder>(), sp.GetRequiredService<IRateLimitStore>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<SponsoredGasPrice>(), Options(sp).CurrencySymbol, sp.GetRequiredService<PersonLinking>()));
        services.TryAddSingleton<PolicyEditor>();
        services.TryAddSingleton<AdminKeyGuard>();
        services.TryAddSingleton<OperatorAuthorization>();
        services.AddAuthorizationBuilder().AddPolicy(OperatorPolicy.Name, OperatorPolicy.Build());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAuthorizationHandler, OperatorAuthorizationHandler>());
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, OperatorRefusalWriter>();
        return services;
    }

    // Redis: connected, and its last call served (a Redis that answers with errors is as unavailable as a lost one).
    // The embedded store is in process: always available.
    private static Func<bool> LimiterAvailability(IServiceProvider services)
    {
        if (Options(services).Store != AdmissionStoreKind.Redis)
        {
            return static () => true;
        }

        var redis = services.GetRequiredService<RedisConnection>();
        var circuit = services.GetRequiredService<RedisCircuit>();
        return () => redis.IsConnected && circuit.LastCallSucceeded;
    }

    private static AdmissionOptions Options(IServiceProvider services) => services.GetRequiredService<IOptions<AdmissionOptions>>().Value;
}
