using TestInfrastructure.Etcd;

namespace Sequencer.Tests.Replication;

[CollectionDefinition(EtcdClusterFixture.Collection)]
public sealed class EtcdClusterCollection : ICollectionFixture<EtcdClusterFixture>;

[CollectionDefinition(EtcdServerFixture.Collection)]
public sealed class EtcdServerCollection : ICollectionFixture<EtcdServerFixture>;
