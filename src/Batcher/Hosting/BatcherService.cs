using Batcher.Options;
using Batcher.Pipeline;
using DaClient;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Primitives.Chain;

namespace Batcher.Hosting;

/// <summary>
/// Runs the batcher pipeline for the life of the host. A batcher fault stops batching, never the sequencer. In a replica
/// set (<see cref="IBatchingRole"/> given) it runs only while this host leads: it stops when the lead goes and a new
/// pipeline starts when it comes back, from the checkpoint and the L1 inbox (a checkpoint behind the inbox — another
/// replica posted meanwhile — is brought to where the inbox stands, so nothing is posted twice or skipped).
/// </summary>
internal sealed class BatcherService(
    IOptions<BatcherOptions> options,
    BatcherDataDirectory dataDirectory,
    ISealedBlockSource source,
    IDaClient da,
    BatcherStatus status,
    BatcherMetrics metrics,
    TimeProvider time,
    ILogger<BatcherPipeline> logger,
    IForcedInclusionSource? forced = null,
    IBatchingRole? role = null) : BackgroundService
{
    // How often a standby replica looks at its role; a lease is seconds long, so this costs nothing in failover time.
    private static readonly TimeSpan RolePoll = TimeSpan.FromMilliseconds(100);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            status.SetPhase(BatcherPhase.Disabled);
            return;
        }

        if (role is null)
        {
            await RunPipelineAsync(stoppingToken).ConfigureAwait(false);
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            status.SetPhase(BatcherPhase.Standby);
            while (!role.MayBatch)
            {
                await Task.Delay(RolePoll, time, stoppingToken).ConfigureAwait(false);
            }

            using var lead = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            var watch = WatchRoleAsync(lead);
            await RunPipelineAsync(lead.Token).ConfigureAwait(false);
            if (status.Phase == BatcherPhase.Faulted)
            {
                await watch.ConfigureAwait(false); // faulted stays faulted (and shown) while this host leads
            }

            await lead.CancelAsync().ConfigureAwait(false);
            await watch.ConfigureAwait(false);
        }
    }

    /// <summary>Cancels <paramref name="lead"/> once this host no longer leads.</summary>
    private async Task WatchRoleAsync(CancellationTokenSource lead)
    {
        try
        {
            while (role!.MayBatch)
            {
                await Task.Delay(RolePoll, time, lead.Token).ConfigureAwait(false);
            }

            await lead.CancelAsync().ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task RunPipelineAsync(CancellationToken cancellationToken)
    {
        using var pipeline = new BatcherPipeline(options.Value, dataDirectory.Path, source, da, status, metrics, time, logger, forced) { ReplicaSet = role is not null };
        try
        {
            await pipeline.RunAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The lead went (or the host stops): the checkpoint holds where this pipeline got to.
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
