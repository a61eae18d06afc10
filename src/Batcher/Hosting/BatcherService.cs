using Batcher.Options;
using Batcher.Pipeline;
using DaClient;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Primitives.Chain;

namespace Batcher.Hosting;

/// <summary>Runs the batcher pipeline for the life of the host. A batcher fault stops batching, never the sequencer.</summary>
internal sealed class BatcherService(
    IOptions<BatcherOptions> options,
    BatcherDataDirectory dataDirectory,
    ISealedBlockSource source,
    IDaClient da,
    BatcherStatus status,
    BatcherMetrics metrics,
    TimeProvider time,
    ILogger<BatcherPipeline> logger,
    IForcedInclusionSource? forced = null) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            status.SetPhase(BatcherPhase.Disabled);
            return;
        }

        using var pipeline = new BatcherPipeline(options.Value, dataDirectory.Path, source, da, status, metrics, time, logger, forced);
        try
        {
            await pipeline.RunAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (Exception) when (status.Phase == BatcherPhase.Faulted)
        {
            // Logged and shown in the status; the sequencer keeps confirming transactions.
        }
    }
}

/// <summary>Where the batcher keeps its checkpoint and journal (resolved once from configuration).</summary>
internal sealed record BatcherDataDirectory(string Path)
{
    /// <summary><c>Batcher:DataDirectory</c>, else the sequencer's data directory.</summary>
    public static BatcherDataDirectory Of(BatcherOptions options, IConfiguration configuration) =>
        new(string.IsNullOrWhiteSpace(options.DataDirectory) ? configuration["Sequencer:DataDirectory"] ?? "data" : options.DataDirectory);
}
