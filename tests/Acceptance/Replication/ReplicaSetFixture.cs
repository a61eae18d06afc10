using TestInfrastructure.Anvil;
using TestInfrastructure.Etcd;

namespace Acceptance.Replication;

/// <summary>
/// What the replica-set process tests share: a three-member etcd with sub-second elections and an anvil as L1. Each test
/// starts its own three sequencer processes (with their own key prefix in etcd and, when it posts, its own inbox).
/// </summary>
public sealed class ReplicaSetFixture : IAsyncLifetime
{
    public const string Collection = "replica-set-processes";

    /// <summary>
    /// etcd's heartbeat and election timeout set for sub-second failover (docs/replication.md, "Leadership"): etcd's
    /// minimum lease TTL follows its election timeout, so with its defaults a TTL of 1 s would be raised to 2 s.
    /// </summary>
    public static readonly string[] FastEtcd = ["--heartbeat-interval", "50", "--election-timeout", "500"];

    private EtcdCluster? _etcd;
    private AnvilNode? _anvil;

    public EtcdCluster Etcd => _etcd ?? throw new InvalidOperationException("not started");

    public AnvilNode Anvil => _anvil ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync()
    {
        _etcd = await EtcdCluster.StartAsync(3, FastEtcd);
        _anvil = await AnvilNode.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (_anvil is not null)
        {
            await _anvil.DisposeAsync();
        }

        if (_etcd is not null)
        {
            await _etcd.DisposeAsync();
        }
    }
}

// Run alone, after the parallel collections: three sequencers, eight clients and etcd take both cores of a CI machine,
// and other tests beside them would make every lease renewal and election here slower.
[CollectionDefinition(ReplicaSetFixture.Collection, DisableParallelization = true)]
public sealed class ReplicaSetCollection : ICollectionFixture<ReplicaSetFixture>;
