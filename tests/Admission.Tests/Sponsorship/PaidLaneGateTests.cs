using Microsoft.Extensions.Time.Testing;
using Admission.Limits;
using Admission.Policy;
using Admission.Sponsorship;
using Admission.Tests.Infrastructure;

namespace Admission.Tests.Sponsorship;

public class PaidLaneGateTests
{
    private const string Paid = """
        , "paid": { "perSender": { "burst": { "count": 2, "periodSeconds": 10 } }, "perClientIp": { "burst": { "count": 3, "periodSeconds": 10 } } }
        """;

    private readonly FakeTimeProvider _clock = new(TestClock.Noon);

    [Fact]
    public async Task PerSenderAndPerIp_AreLimitedSeparately()
    {
        var gate = new PaidLaneGate(new PolicyHolder(Policies.Parse(Policies.Json(paid: Paid))), new EmbeddedRateLimitStore(), new EmbeddedRateLimitStore(), _clock);

        Assert.Null(await gate.CheckAsync("0xa", "10.0.0.1"));
        Assert.Null(await gate.CheckAsync("0xa", "10.0.0.1"));
        var sender = await gate.CheckAsync("0xa", "10.0.0.2");
        Assert.Null(await gate.CheckAsync("0xb", "10.0.0.1"));
        var ip = await gate.CheckAsync("0xc", "10.0.0.1");

        Assert.Equal("paid.perSender.burst", sender!.Reason);
        Assert.Equal(-32005, sender.ErrorCode);
        Assert.Equal("paid.perClientIp.burst", ip!.Reason);
    }

    [Fact]
    public async Task WithoutPaidLimits_EverythingPasses()
    {
        var gate = new PaidLaneGate(new PolicyHolder(Policies.Parse(Policies.Json())), new EmbeddedRateLimitStore(), new EmbeddedRateLimitStore(), _clock);

        for (var i = 0; i < 100; i++)
        {
            Assert.Null(await gate.CheckAsync("0xa", "10.0.0.1"));
        }
    }

    [Fact]
    public async Task UnreachableSharedStore_FallsBackToLocalLimits_AndNeverFailsClosed()
    {
        var gate = new PaidLaneGate(new PolicyHolder(Policies.Parse(Policies.Json(paid: Paid))), new DownStore(), new EmbeddedRateLimitStore(), _clock);

        Assert.Null(await gate.CheckAsync("0xa", null));
        Assert.Null(await gate.CheckAsync("0xa", null));
        Assert.Equal("paid.perSender.burst", (await gate.CheckAsync("0xa", null))!.Reason);
    }

    private sealed class DownStore : IRateLimitStore
    {
        public ValueTask<LimitOutcome> AcquireAsync(LimitRequest request, CancellationToken cancellationToken = default) => ValueTask.FromResult(LimitOutcome.Unavailable);

        public ValueTask<long[]> ReadAsync(IReadOnlyList<string> keys, long nowUs, CancellationToken cancellationToken = default) => throw new RateLimitStoreUnavailableException("down");

        public ValueTask<IReadOnlyList<BoardEntry>> TopAsync(string boardKey, int count, long nowUs, CancellationToken cancellationToken = default) => throw new RateLimitStoreUnavailableException("down");

        public ValueTask CarryAsync(UsageCarry carry, CancellationToken cancellationToken = default) => throw new RateLimitStoreUnavailableException("down");
    }
}
