using Xunit;

namespace TestInfrastructure.Etcd;

/// <summary>
/// A one-member etcd shared by every test class of a collection, for tests that need etcd but not a member failure.
/// Test projects declare <c>[CollectionDefinition(EtcdServerFixture.Collection)] class X : ICollectionFixture&lt;EtcdServerFixture&gt;</c>.
/// </summary>
public sealed class EtcdServerFixture : IAsyncLifetime
{
    public const string Collection = "etcd-server";

    private EtcdCluster? _cluster;

    public EtcdCluster Cluster => _cluster ?? throw new InvalidOperationException("etcd is not started");

    public EtcdMember Server => Cluster.Members[0];

    public async Task InitializeAsync() => _cluster = await EtcdCluster.StartAsync(1);

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }
}
