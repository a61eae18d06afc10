using Batcher.L1;
using Batcher.Options;
using Primitives.Chain;
using Sequencer.ForcedInclusion;
using Sequencer.Rpc;
using Sequencer.Rpc.Modules;
using Sequencer.Sequencing;
using Sequencer.Transactions;

namespace Sequencer.Hosting;

/// <summary>
/// With L1 posting on (<c>Batcher:L1:Enabled</c>), the sequencer follows the inbox's forced-inclusion queue at the
/// poster's confirmation depth and poll interval (docs/l1.md, "Forced inclusion"), and the batcher states from its
/// journal what each batch consumes. With posting off there is no queue to follow and batches consume nothing.
/// Inclusion proofs (sequencer_getInclusionProof) read the same inbox.
/// </summary>
internal static class ForcedInclusionHosting
{
    public static IServiceCollection AddForcedInclusion(this IServiceCollection services, IConfiguration configuration)
    {
        var l1 = configuration.GetSection("Batcher:L1").Get<L1PostingOptions>() ?? new L1PostingOptions();

        // sequencer_getInclusionProof answers with a clear error while posting is off.
        services.AddSingleton<IRpcModule, InclusionProofRpcModule>();
        if (!l1.Enabled)
        {
            return services;
        }

        services.AddSingleton(new PostedBatchSource(l1.InboxAddress, new ForcedQueueReader(l1.RpcUrl, l1.InboxAddress),
            new PostedBatchLocator(l1.RpcUrl, l1.InboxAddress), l1.Confirmations));

        services.AddSingleton(sp => new ForcedInclusionJournal(sp.GetRequiredService<DataDirectoryLock>().Directory));
        services.AddSingleton<IForcedInclusionSource>(sp => sp.GetRequiredService<ForcedInclusionJournal>());
        services.AddSingleton(sp => new ForcedInclusionFollower(
            new ForcedQueueReader(l1.RpcUrl, l1.InboxAddress),
            l1.Confirmations,
            TimeSpan.FromMilliseconds(Math.Max(10, l1.PollIntervalMs)),
            sp.GetRequiredService<ForcedInclusionJournal>(),
            sp.GetRequiredService<TransactionIntake>(),
            sp.GetRequiredService<SequencerCore>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<ForcedInclusionFollower>>()));
        services.AddHostedService(sp => sp.GetRequiredService<ForcedInclusionFollower>());
        return services;
    }
}
