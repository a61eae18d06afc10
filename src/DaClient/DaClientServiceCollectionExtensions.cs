using DaClient.Proxy;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DaClient;

public static class DaClientServiceCollectionExtensions
{
    /// <summary>Name of the HttpClient the eigenda-proxy client uses.</summary>
    public const string ProxyHttpClientName = "DaClient.EigenDaProxy";

    /// <summary>
    /// Binds "Sequencer:Da" (validated on start) and registers the selected backend as the
    /// singleton <see cref="IDaClient"/>. A relative local store directory is resolved inside
    /// "Sequencer:DataDirectory".
    /// </summary>
    public static IServiceCollection AddDaClient(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<DaOptions>()
            .Bind(configuration.GetSection(DaOptions.Section))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DaOptions>, DaOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);

        // The client sets a timeout per attempt; connections are recycled so DNS changes are seen.
        services.AddHttpClient(ProxyHttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan);

        var dataDirectory = configuration["Sequencer:DataDirectory"] ?? "data";
        services.TryAddSingleton<IDaClient>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<DaOptions>>().Value;
            var loggers = sp.GetRequiredService<ILoggerFactory>();
            var time = sp.GetRequiredService<TimeProvider>();
            return options.Kind switch
            {
                DaBackend.Local => DaClientFactory.CreateLocal(options.Local, dataDirectory),
                DaBackend.Proxy => new EigenDaProxyClient(
                    sp.GetRequiredService<IHttpClientFactory>().CreateClient(ProxyHttpClientName),
                    options.Proxy,
                    time,
                    loggers.CreateLogger<EigenDaProxyClient>()),
                DaBackend.Disperser => DaClientFactory.CreateDisperser(options.Disperser, loggers, time),
                _ => throw new OptionsValidationException(DaOptions.Section, typeof(DaOptions), [$"unknown DA kind {options.Kind}"]),
            };
        });
        return services;
    }
}
