using Admission.Limits;
using TestInfrastructure.Redis;
using TestInfrastructure;

namespace Admission.Tests.Limits;

/// <summary>A Redis of its own, killed and restarted: the store must say "unavailable" at once, and work again once Redis is back.</summary>
public sealed class RedisOutageTests : IAsyncLifetime
{
    private RedisServer _server = null!;
    private RedisConnection _connection = null!;

    public async Task InitializeAsync()
    {
        _server = await RedisServer.StartAsync();
        _connection = new RedisConnection(_server.ConnectionString, "outage:");
    }

    public async Task DisposeAsync()
    {
        _connection.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task KilledRedis_IsUnavailable_AndRecoversWithoutRestartingTheClient()
    {
        var store = new RedisRateLimitStore(_connection, TestRedis.Circuit());
        var rate = new RateCheck("k", "burst", 1000, 1_000_000_000);
        Assert.Equal(LimitStatus.Allowed, (await store.AcquireAsync(Request(rate))).Status);

        _server.Kill();
        var down = await WaitForAsync(store, rate, LimitStatus.Unavailable);
        Assert.Equal(LimitRules.LimiterUnavailable, down.Rule);
        await Assert.ThrowsAsync<RateLimitStoreUnavailableException>(async () => await store.ReadAsync(["k"], Now()));

        await _server.RestartAsync();
        await WaitForAsync(store, rate, LimitStatus.Allowed);
    }

    [Fact]
    public async Task PausedRedis_IsUnavailable_AfterTheTimeout_AndAnswersOnceResumed()
    {
        // A Redis that keeps its connections open but answers nothing (SIGSTOP): only the limiter's own timeout ends
        // the wait. 200 ms, the default, shared by the calls of one slot (RedisCallDeadlines).
        var store = new RedisRateLimitStore(_connection, RedisCircuit.WithDefaults());
        var rate = new RateCheck("paused", "burst", 1000, 1_000_000_000);
        await WaitForAsync(store, rate, LimitStatus.Allowed);

        _server.Pause();
        try
        {
            var calls = new Task<LimitOutcome>[3];
            for (var i = 0; i < calls.Length; i++)
            {
                calls[i] = store.AcquireAsync(Request(rate)).AsTask();
            }

            foreach (var call in calls)
            {
                var outcome = await call.WaitAsync(TimeSpan.FromSeconds(30));
                Assert.Equal(LimitStatus.Unavailable, outcome.Status);
            }
        }
        finally
        {
            _server.Resume();
        }

        await WaitForAsync(store, rate, LimitStatus.Allowed);
    }

    private static LimitRequest Request(RateCheck rate) => new(Now(), [rate], []);

    private static long Now() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1000;

    // Waits for the client to notice the change (a dropped socket, a reconnect); fails after 30 s.
    private static Task<LimitOutcome> WaitForAsync(RedisRateLimitStore store, RateCheck rate, LimitStatus expected) => Eventually.UntilAsync(
        async () => await store.AcquireAsync(Request(rate)),
        outcome => outcome.Status == expected,
        TimeSpan.FromSeconds(30),
        outcome => $"the store answers {outcome.Status}, expected {expected}");
}
