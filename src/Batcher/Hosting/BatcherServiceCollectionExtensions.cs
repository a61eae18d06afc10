using Batcher.Options;
using Batcher.Pipeline;
using DaClient;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Batcher.Hosting;

public static class BatcherServiceCollectionExtensions
{
    /// <summary>
    /// Registers the batcher: options from the "Batcher" section (validated on start), the DA
    /// client ("Sequencer:Da"), <see cref="BatcherStatus"/> for sequencer_getStatus, the "Batcher"
    /// meter and the hosted pipeline. The host must register an <see cref="Primitives.Chain.ISealedBlockSource"/>.
    /// </summary>
    public static IServiceCollection AddBatcher(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<BatcherOptions>()
            .Bind(configuration.GetSection(BatcherOptions.Section))
            .PostConfigure(options =>
            {
                if (options.ChainId == 0 && ulong.TryParse(configuration["Sequencer:ChainId"], out var chainId))
                {
                    options.ChainId = chainId;
                }
            })
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<BatcherOptions>>(new BatcherOptionsValidator(configuration)));
        services.AddDaClient(configuration);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => BatcherDataDirectory.Of(sp.GetRequiredService<IOptions<BatcherOptions>>().Value, configuration));
        services.TryAddSingleton<BatcherStatus>();
        services.TryAddSingleton(sp => new BatcherMetrics(
            sp.GetRequiredService<BatcherStatus>(), sp.GetService<System.Diagnostics.Metrics.IMeterFactory>(), sp.GetService<Primitives.Chain.ISealedBlockSource>()));
        services.AddHostedService<BatcherService>();
        return services;
    }
}
