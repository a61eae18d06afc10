using Admission.Sponsorship;
using Admission.Tests.Infrastructure;

namespace Admission.Tests.Sponsorship;

public sealed class RecentDecisionsTests
{
    [Fact]
    public void The_ring_keeps_the_latest_decisions_in_order_and_never_more_than_its_capacity()
    {
        var recent = new RecentDecisions();
        var start = DateTimeOffset.UnixEpoch;
        for (var i = 0; i < RecentDecisions.Capacity + 7; i++)
        {
            recent.Add(start.AddSeconds(i), Identities.Of("dev", "u" + i), Call([0xa9, 0x05, 0x9c, 0xbb]), AdmissionDecision.Admit("app", 1));
        }

        var all = recent.Latest(int.MaxValue);
        var lastThree = recent.Latest(3);

        Assert.Equal(RecentDecisions.Capacity, all.Count);
        Assert.Equal("dev:u7", all[0].Identity.Key);
        Assert.Equal(["dev:u1004", "dev:u1005", "dev:u1006"], lastThree.Select(d => d.Identity.Key));
    }

    [Fact]
    public void Only_the_selector_of_a_call_is_kept()
    {
        var recent = new RecentDecisions();
        var data = new byte[100_000];
        data[0] = 0xa9;

        recent.Add(DateTimeOffset.UnixEpoch, Identities.Of("dev", "a"), Call(data), AdmissionDecision.Admit("app", 1));

        Assert.Equal([0xa9, 0, 0, 0], recent.Latest(1)[0].Call.Data);
    }

    private static SponsoredCall Call(byte[] data) => new(Policies.Token, data, UInt128.Zero, null);
}
