using Xunit;

namespace TestInfrastructure.Etcd;

/// <summary>
/// A three-member etcd cluster shared by every test class of a collection. Test projects declare
/// <c>[CollectionDefinition(EtcdClusterFixture.Collection)] class X : ICollectionFixture&lt;EtcdClusterFixture&gt;</c>.
/// A test that pauses or kills a member restores it before it ends (<see cref="EtcdCluster.RestartAsync"/>,
/// <see cref="EtcdMember.Resume"/>), so the next test finds the cluster whole.
/// </summary>
public sealed class EtcdClusterFixture : IAsyncLifetime
{
    public const string Collection = "etcd-cluster";

    private EtcdCluster? _cluster;

    public EtcdCluster Cluster => _cluster ?? throw new InvalidOperationException("etcd is not started");

    public async Task InitializeAsync() => _cluster = await EtcdCluster.StartAsync(3);

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }
}
