using Admission.Limits;
using TestInfrastructure.Redis;

namespace Admission.Tests.Limits;

[Collection(RedisServerFixture.Collection)]
public sealed class RedisRateLimitStoreTests(RedisServerFixture redis) : RateLimitStoreContract, IDisposable
{
    private readonly RedisConnection _connection = new(redis.Server.ConnectionString, "test:");

    private protected override IRateLimitStore Store => new RedisRateLimitStore(_connection, TestRedis.Circuit());

    [Fact]
    public async Task TwoConnections_ShareOneLimit()
    {
        using var other = new RedisConnection(redis.Server.ConnectionString, "test:");
        var a = new RedisRateLimitStore(_connection, TestRedis.Circuit());
        var b = new RedisRateLimitStore(other, TestRedis.Circuit());
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1000;
        var rate = new RateCheck("shared:" + Guid.NewGuid().ToString("N"), "burst", 60_000_000, 240_000_000);

        var outcomes = new List<LimitStatus>();
        for (var i = 0; i < 3; i++)
        {
            outcomes.Add((await a.AcquireAsync(new LimitRequest(now, [rate], []))).Status);
            outcomes.Add((await b.AcquireAsync(new LimitRequest(now, [rate], []))).Status);
        }

        Assert.Equal(4, outcomes.Count(s => s == LimitStatus.Allowed));
        Assert.Equal(2, outcomes.Count(s => s == LimitStatus.Limited));
    }

    public void Dispose() => _connection.Dispose();
}
