using DaClient.Retry;

namespace DaClient.Tests;

public sealed class ExponentialBackoffTests
{
    [Fact]
    public void Delays_double_within_jitter_bounds_and_stop_at_the_cap()
    {
        var backoff = new ExponentialBackoff(TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(1000), new Random(1));

        for (var attempt = 0; attempt < 12; attempt++)
        {
            var ceiling = Math.Min(1000, 100 * (1 << attempt));
            var delay = backoff.DelayFor(attempt).TotalMilliseconds;
            Assert.InRange(delay, ceiling / 2.0, ceiling);
        }
    }

    [Fact]
    public void Jitter_spreads_delays_of_the_same_attempt()
    {
        var backoff = new ExponentialBackoff(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(10), new Random(5));

        var delays = Enumerable.Range(0, 20).Select(_ => backoff.DelayFor(3)).Distinct().Count();

        Assert.True(delays > 1);
    }
}
