using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using Sequencer.Log;
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
        services.AddSingleton(sp => new VerifiedTerm(sp.GetRequiredService<DataDirectoryLock>().Directory));
        services.AddSingleton<ICampaignGate>(sp => new PeerHeadsGate(sp.GetRequiredService<SequencerCore>(), sp.GetRequiredService<VerifiedTerm>(), Options(sp)));
        services.AddSingleton(sp => new LeaderElection(
            Options(sp),
            sp.GetRequiredService<dotnet_etcd.EtcdClient>(),
            sp.GetRequiredService<ICampaignGate>(),
            sp.GetRequiredService<LeadershipState>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<LeaderElection>>()));
        services.AddHostedService(sp => sp.GetRequiredService<LeaderElection>());
        services.AddHostedService(sp => new ShortfallResignation(
            sp.GetRequiredService<SequencerCore>(),
            sp.GetRequiredService<LeadershipState>(),
            sp.GetRequiredService<LeaderElection>(),
            TimeSpan.FromSeconds(Options(sp).LeaseTtlSeconds),
            TimeSpan.FromMilliseconds(Options(sp).KeepAliveIntervalMs),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<ShortfallResignation>>()));

        // The core sequences only while this node leads; followers take the leader's records on /replication/append.
        services.AddSingleton(sp => new LeadershipWriteRole(sp.GetRequiredService<LeadershipState>()));
        services.AddSingleton<IWriteRole>(sp => sp.GetRequiredService<LeadershipWriteRole>());
        services.AddSingleton<Batcher.Hosting.IBatchingRole>(sp => sp.GetRequiredService<LeadershipWriteRole>());
        services.AddSingleton(sp => LeaderFence(sp));
        services.AddSingleton<ReplicaAppendEndpoint>();
        services.AddSingleton(sp =>
        {
            // Resolved now: the links' loops call these until they stop, possibly after the container is disposed. The
            // log's end comes from the log itself, attached when it is opened (it depends on these links).
            var leadership = sp.GetRequiredService<LeadershipState>();
            var store = sp.GetRequiredService<History.ChainStore>();
            return new ReplicaLinks(
                Options(sp),
                sp.GetRequiredService<ILoggerFactory>(),
                Path.Combine(sp.GetRequiredService<DataDirectoryLock>().Directory, "wal"),
                localDurableEnd: null,
                () => leadership.LeaderEpoch,
                end => store.GetSequenced(end - 1) is { } last ? CommitPoint.After(last) : null);
        });
        services.AddSingleton<OpenTransactionLog>(sp => OpenReplicatedLog(sp));

        // Operations (docs/operations.md): readiness and the meter "Sequencer.Replication".
        services.AddHealthChecks().Add(new Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckRegistration(
            "replication",
            sp => new ReplicationHealthCheck(sp.GetRequiredService<LeadershipState>(), sp.GetRequiredService<ReplicaLinks>(), Options(sp).EffectiveMinAcks),
            failureStatus: null,
            tags: ["ready"]));
        services.AddSingleton(sp =>
        {
            var links = sp.GetRequiredService<ReplicaLinks>();
            return new ReplicationMetrics(
                sp.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(),
                Options(sp).NodeId,
                sp.GetRequiredService<LeadershipState>(),
                links,
                () => links.LocalDurableEnd);
        });
        services.ConfigureOpenTelemetryMeterProvider(metrics => metrics.AddMeter(ReplicationMetrics.MeterName));
        return services;
    }

    /// <summary>
    /// The epoch fence; a node that wins an election raises it to its own epoch, so that after losing the lead it compares
    /// its head by the epoch it last wrote in (<see cref="PeerHeadsGate"/>).
    /// </summary>
    private static EpochFence LeaderFence(IServiceProvider services)
    {
        var fence = new EpochFence(services.GetRequiredService<DataDirectoryLock>().Directory);
        services.GetRequiredService<LeadershipState>().Changed += snapshot =>
        {
            if (snapshot.Role == ReplicaRole.Leader)
            {
                fence.TryAccept(snapshot.Epoch);
            }
        };
        return fence;
    }

    /// <summary>The core's log: the local write-ahead log, confirmations gated on MinAcks replicas.</summary>
    private static OpenTransactionLog OpenReplicatedLog(IServiceProvider services)
    {
        var options = Options(services);
        var wal = services.GetRequiredService<IOptions<SequencerOptions>>().Value.Wal;
        var links = services.GetRequiredService<ReplicaLinks>();
        _ = services.GetRequiredService<ReplicationMetrics>(); // created with the log, so its instruments see every acknowledgement
        var leadership = services.GetRequiredService<LeadershipState>();
        var time = services.GetRequiredService<TimeProvider>();
        var commitFile = new CommitIndexFile(services.GetRequiredService<DataDirectoryLock>().Directory);
        var verified = services.GetRequiredService<VerifiedTerm>();
        return (directory, next, onDurable, onFailure, onRecovered) =>
        {
            var log = new ReplicatedTransactionLog(
                (durable, failure, recovered) => new WriteAheadLog(directory, wal.SegmentBytes, wal.Fsync, next, durable, failure, recovered),
                links.All, () => leadership.LeaderEpoch, options.EffectiveMinAcks, TimeSpan.FromMilliseconds(options.AckTimeoutMs), time, next,
                onDurable, onFailure, onRecovered, commitFile, leadership.TermCommitted);
            links.Attach(log);

            // A win lets go of the earlier terms' shortfall (the log is opened once per host; a disposed log ignores this).
            leadership.Changed += snapshot =>
            {
                if (snapshot.Role == ReplicaRole.Leader)
                {
                    // The followers are asked where they stand first: that round trip is on the way to the term's first
                    // confirmation, and needs nothing of the durable write below (their answers count only after Lead).
                    log.ProbeFollowers(snapshot.Epoch);

                    // Its log is its term's log: durable before anything it inherited can be confirmed in this term.
                    verified.Raise(snapshot.Epoch, log.LocalDurableEnd, lastRecordEpoch: 0);
                    log.Lead(snapshot.Epoch);
                }
            };
            return log;
        };
    }

    private static ReplicationOptions Options(IServiceProvider services) => services.GetRequiredService<IOptions<ReplicationOptions>>().Value;
}
