using Microsoft.Extensions.Time.Testing;
using Admission.Limits;
using Admission.Tests.Infrastructure;

namespace Admission.Tests.Limits;

/// <summary>
/// The behaviour every <see cref="IRateLimitStore"/> must have. Run against the embedded store and a real
/// redis-server; each test uses its own keys, so the tests can share one server.
/// </summary>
public abstract class RateLimitStoreContract
{
    private const long Second = 1_000_000;

    private readonly FakeTimeProvider _clock = new(TestClock.Noon);
    private readonly string _id = Guid.NewGuid().ToString("N");

    private protected abstract IRateLimitStore Store { get; }

    [Fact]
    public async Task Burst_AllowsCountThenRefusesWithTheWaitForOneMore()
    {
        var burst = Rate("burst", count: 3, periodSeconds: 3);

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(LimitStatus.Allowed, (await Acquire(burst)).Status);
        }

        var refused = await Acquire(burst);
        Assert.Equal(LimitStatus.Limited, refused.Status);
        Assert.Equal("burst", refused.Rule);
        Assert.Equal(1000, refused.RetryAfterMs);
    }

    [Fact]
    public async Task AfterOneInterval_OneMoreIsAllowed()
    {
        var burst = Rate("burst", count: 2, periodSeconds: 10);
        await Acquire(burst);
        await Acquire(burst);
        Assert.Equal(LimitStatus.Limited, (await Acquire(burst)).Status);

        _clock.Advance(TimeSpan.FromSeconds(5));

        Assert.Equal(LimitStatus.Allowed, (await Acquire(burst)).Status);
        Assert.Equal(LimitStatus.Limited, (await Acquire(burst)).Status);
    }

    [Fact]
    public async Task SustainedWindow_LimitsEvenWhenBurstsRefill()
    {
        var burst = Rate("burst", count: 2, periodSeconds: 1);
        var sustained = Rate("sustained", count: 3, periodSeconds: 3600);

        Assert.Equal(LimitStatus.Allowed, (await Acquire(burst, sustained)).Status);
        Assert.Equal(LimitStatus.Allowed, (await Acquire(burst, sustained)).Status);
        _clock.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(LimitStatus.Allowed, (await Acquire(burst, sustained)).Status);
        _clock.Advance(TimeSpan.FromSeconds(5));

        var refused = await Acquire(burst, sustained);
        Assert.Equal("sustained", refused.Rule);
        Assert.True(refused.RetryAfterMs > 1_000_000, $"retry after {refused.RetryAfterMs} ms");
    }

    [Fact]
    public async Task RefusedRequest_ConsumesNothing()
    {
        var burst = Rate("burst", count: 5, periodSeconds: 5);
        var quota = Quota("tx", limit: 1);
        Assert.Equal(LimitStatus.Allowed, (await Acquire([burst], [quota])).Status);

        // The quota refuses: the burst window must not be charged for the refused attempts.
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal("tx", (await Acquire([burst], [quota])).Rule);
        }

        var values = await Store.ReadAsync([burst.Key, quota.Key], _clock.NowUs);
        Assert.Equal(_clock.NowUs + Second, values[0]);
        Assert.Equal(1, values[1]);
    }

    [Fact]
    public async Task Quota_CountsAmountsAndRefusesUntilReset()
    {
        var reset = _clock.NowUs + 3600 * Second;
        var gas = Quota("gas", limit: 250_000, amount: 100_000, resetAtUs: reset);

        Assert.Equal(LimitStatus.Allowed, (await Acquire([], [gas])).Status);
        Assert.Equal(LimitStatus.Allowed, (await Acquire([], [gas])).Status);
        var refused = await Acquire([], [gas]);
        Assert.Equal(LimitStatus.Limited, refused.Status);
        Assert.Equal("gas", refused.Rule);
        Assert.Equal(3_600_000, refused.RetryAfterMs);
        Assert.Equal(200_000, (await Store.ReadAsync([gas.Key], _clock.NowUs))[0]);
    }

    [Fact]
    public async Task QuotaWithoutLimit_OnlyCounts()
    {
        var counter = Quota("count", limit: null, amount: 7);
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(LimitStatus.Allowed, (await Acquire([], [counter])).Status);
        }

        Assert.Equal(35, (await Store.ReadAsync([counter.Key], _clock.NowUs))[0]);
    }

    [Fact]
    public async Task AbsentKeys_ReadAsZero()
    {
        var values = await Store.ReadAsync([_id + ":a", _id + ":b"], _clock.NowUs);
        Assert.Equal(new long[] { 0, 0 }, values);
    }

    [Fact]
    public async Task Board_RanksMembersByTotalScore()
    {
        var board = _id + ":board";
        var reset = _clock.NowUs + 3600 * Second;
        await Store.AcquireAsync(new LimitRequest(_clock.NowUs, [], [], new BoardIncrement(board, "alice", 100, reset)));
        await Store.AcquireAsync(new LimitRequest(_clock.NowUs, [], [], new BoardIncrement(board, "bob", 300, reset)));
        await Store.AcquireAsync(new LimitRequest(_clock.NowUs, [], [], new BoardIncrement(board, "alice", 250, reset)));
        await Store.AcquireAsync(new LimitRequest(_clock.NowUs, [], [], new BoardIncrement(board, "carol", 10, reset)));

        var top = await Store.TopAsync(board, 2, _clock.NowUs);

        Assert.Equal([new BoardEntry("alice", 350), new BoardEntry("bob", 300)], top);
    }

    [Fact]
    public async Task ConcurrentRequests_NeverExceedTheBurst()
    {
        var burst = Rate("burst", count: 10, periodSeconds: 3600);

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 64).Select(_ => Acquire(burst).AsTask()));

        Assert.Equal(10, outcomes.Count(o => o.Status == LimitStatus.Allowed));
        Assert.Equal(54, outcomes.Count(o => o.Status == LimitStatus.Limited));
    }

    [Fact]
    public async Task KeysAreIndependent()
    {
        var a = Rate("a", count: 1, periodSeconds: 60);
        var b = Rate("b", count: 1, periodSeconds: 60);

        Assert.Equal(LimitStatus.Allowed, (await Acquire(a)).Status);
        Assert.Equal(LimitStatus.Allowed, (await Acquire(b)).Status);
        Assert.Equal(LimitStatus.Limited, (await Acquire(a)).Status);
    }

    private RateCheck Rate(string name, long count, long periodSeconds) =>
        new(_id + ":" + name, name, periodSeconds * Second / count, periodSeconds * Second);

    private QuotaCheck Quota(string name, long? limit, long amount = 1, long? resetAtUs = null) =>
        new(_id + ":" + name, name, amount, limit, resetAtUs ?? _clock.NowUs + 86_400 * Second);

    private ValueTask<LimitOutcome> Acquire(params RateCheck[] rates) => Acquire(rates, []);

    private ValueTask<LimitOutcome> Acquire(RateCheck[] rates, QuotaCheck[] quotas) =>
        Store.AcquireAsync(new LimitRequest(_clock.NowUs, rates, quotas));
}
