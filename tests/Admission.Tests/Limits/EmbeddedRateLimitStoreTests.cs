using Admission.Limits;

namespace Admission.Tests.Limits;

public class EmbeddedRateLimitStoreTests : RateLimitStoreContract
{
    private readonly EmbeddedRateLimitStore _store = new();

    private protected override IRateLimitStore Store => _store;

    [Fact]
    public async Task ExpiredEntries_AreSweptSoMemoryStaysBounded()
    {
        const long second = 1_000_000;
        var now = 1_800_000_000L * second;
        for (var i = 0; i < 10_000; i++)
        {
            await _store.AcquireAsync(new LimitRequest(now, [new RateCheck("k" + i, "r", second, second)], []));
        }

        // Every arrival time above is in the past an hour later: the next sweep drops them all.
        now += 3600 * second;
        for (var i = 0; i < 10_000; i++)
        {
            await _store.AcquireAsync(new LimitRequest(now, [new RateCheck("fresh" + (i % 10), "r", second, 1000 * second)], []));
        }

        Assert.True(_store.Count < 10_000, $"{_store.Count} entries kept");
    }
}
