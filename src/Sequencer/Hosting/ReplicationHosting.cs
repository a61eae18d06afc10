using Microsoft.Extensions.Options;
using Sequencer.Options;
using Sequencer.Replication;
using Sequencer.Sequencing;

namespace Sequencer.Hosting;

/// <summary>
/// Wires leadership on etcd when a <c>Sequencer:Replication</c> section is present (docs/replication.md). Without one
/// nothing is added: the host is the single-node embedded default.
/// </summary>
internal static class ReplicationHosting
{
    public static IServiceCollection AddReplication(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(ReplicationOptions.Section);
        if (!section.Exists())
        {
            return services;
        }

        services.AddOptions<ReplicationOptions>().Bind(section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ReplicationOptions>, ReplicationOptionsAnnotationsValidator>();
        services.AddSingleton<IValidateOptions<ReplicationOptions>, ReplicationOptionsValidator>();
        services.AddSingleton(sp => new LeadershipState(sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => EtcdClients.Create(Options(sp)));
        services.AddSingleton<ICampaignGate>(sp => new StandaloneCampaignGate(sp.GetRequiredService<SequencerCore>(), Options(sp)));
        services.AddSingleton(sp => new LeaderElection(
            Options(sp),
            sp.GetRequiredService<dotnet_etcd.EtcdClient>(),
            sp.GetRequiredService<ICampaignGate>(),
            sp.GetRequiredService<LeadershipState>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<LeaderElection>>()));
        services.AddHostedService(sp => sp.GetRequiredService<LeaderElection>());
        return services;
    }

    private static ReplicationOptions Options(IServiceProvider services) => services.GetRequiredService<IOptions<ReplicationOptions>>().Value;
}
