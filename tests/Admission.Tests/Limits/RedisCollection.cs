using TestInfrastructure.Redis;

namespace Admission.Tests.Limits;

[CollectionDefinition(RedisServerFixture.Collection)]
public sealed class RedisCollection : ICollectionFixture<RedisServerFixture>;
