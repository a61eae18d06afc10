using Batcher.Hosting;
using Batcher.Pipeline;
using OpenTelemetry.Metrics;
using Primitives.Chain;
using Sequencer.History;

namespace Sequencer.Hosting;

/// <summary>
/// Wires the batcher into the host: it reads sealed blocks from the chain store (pull-based, from its
/// own checkpoint), publishes to DA and L1 per the "Batcher" and "Sequencer:Da" sections, and reports
/// its state in sequencer_getStatus and the "Batcher" meter.
/// </summary>
internal static class BatcherHosting
{
    public static IServiceCollection AddBatcherHosting(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<ISealedBlockSource>(sp => sp.GetRequiredService<ChainStore>());
        services.AddBatcher(configuration);
        services.AddForcedInclusion(configuration);
        services.ConfigureOpenTelemetryMeterProvider(metrics => metrics.AddMeter(BatcherMetrics.MeterName));
        return services;
    }
}
