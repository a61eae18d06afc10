using Admission.Limits;
using Admission.Tests.Limits;
using TestInfrastructure.Redis;

namespace Admission.Tests.Spending;

/// <summary>The same arithmetic in acquire.lua and settle.lua, against a real redis-server.</summary>
[Collection(RedisServerFixture.Collection)]
public sealed class RedisSpendStoreTests(RedisServerFixture redis) : SpendStoreContract, IDisposable
{
    private readonly RedisConnection _connection = new(redis.Server.ConnectionString, "spend-test:");

    private protected override IRateLimitStore Store => new RedisRateLimitStore(_connection, TestRedis.Circuit());

    public void Dispose() => _connection.Dispose();
}
