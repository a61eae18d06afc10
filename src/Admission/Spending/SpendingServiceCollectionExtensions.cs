using Admission.Limits;
using Admission.Options;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Admission.Spending;

internal static class SpendingServiceCollectionExtensions
{
    /// <summary>Wei budgets: the price (the host registers its own; the default counts no wei), alerts and the ledger.</summary>
    public static IServiceCollection AddSpending(this IServiceCollection services)
    {
        services.TryAddSingleton(SponsoredGasPrice.None);
        services.TryAddSingleton<SpendMeter>();
        services.AddHttpClient(SpendAlerts.HttpClientName)
            // A redirect would send the alert somewhere the operator did not configure.
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false })
            .RemoveAllLoggers();
        services.TryAddSingleton(sp => new SpendAlerts(
            sp.GetRequiredService<IRateLimitStore>(), sp.GetRequiredService<SpendMeter>(),
            sp.GetRequiredService<IOptions<AdmissionOptions>>().Value.SpendAlerts, sp.GetRequiredService<IHttpClientFactory>(),
            sp.GetRequiredService<ILogger<SpendAlerts>>()));
        services.TryAddSingleton(sp => new SpendLedger(
            sp.GetRequiredService<IRateLimitStore>(), sp.GetRequiredService<SponsoredGasPrice>(), sp.GetRequiredService<SpendMeter>(), sp.GetRequiredService<TimeProvider>()));
        return services;
    }
}
