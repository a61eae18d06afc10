using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Admission.Verification;

internal static class VerifierServiceCollectionExtensions
{
    /// <summary>The verifier's named HttpClient and <see cref="SponsorshipVerifier"/> (needs <see cref="VerifierDirectory"/>).</summary>
    public static IServiceCollection AddVerifierClient(this IServiceCollection services)
    {
        services.AddHttpClient(SponsorshipVerifier.HttpClientName)
            // The per-call deadline is the verifier's TimeoutMs (VerifierExchange), not the client's.
            .ConfigureHttpClient(client => client.Timeout = Timeout.InfiniteTimeSpan)
            // A redirect would carry a signed question somewhere the operator did not configure; cookies would make
            // answers depend on more than the signed body.
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false })
            // The factory's handlers log every request at Information; this path runs per sponsored call, and
            // SponsorshipVerifier logs the failures that matter.
            .RemoveAllLoggers();
        services.TryAddSingleton(sp => new SponsorshipVerifier(
            sp.GetRequiredService<VerifierDirectory>(),
            sp.GetRequiredService<IHttpClientFactory>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<SponsorshipVerifier>>()));
        return services;
    }
}
