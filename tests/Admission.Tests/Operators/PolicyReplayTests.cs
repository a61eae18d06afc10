using Admission.Limits;
using Admission.Operators;
using Admission.Policy;
using Admission.Sponsorship;
using Admission.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace Admission.Tests.Operators;

/// <summary>The dry run against recent traffic: decisions recorded by the gate, decided again under a draft.</summary>
public sealed class PolicyReplayTests
{
    private readonly FakeTimeProvider _clock = new(TestClock.Noon);
    private readonly RecentDecisions _recent = new();

    [Fact]
    public async Task A_higher_burst_turns_the_recorded_burst_refusals_into_admissions_and_counts_them_by_reason()
    {
        var holder = await SendFiveAsync(Policies.Json(burst: 2));

        var report = await PolicyReplay.RunAsync(holder, Policies.Parse(Policies.Json(version: 2, burst: 10)), _recent.Latest(1000), CancellationToken.None);

        Assert.Equal(5, report.Decisions);
        Assert.Equal(3, report.Changed);
        var change = Assert.Single(report.Changes);
        Assert.Equal(("limited (rate.burst)", "admitted", 3), (change.From, change.To, change.Count));
    }

    [Fact]
    public async Task Blocking_the_sender_in_the_draft_denies_every_decision_and_the_same_policy_changes_none()
    {
        var holder = await SendFiveAsync(Policies.Json(burst: 2));

        var blocked = await PolicyReplay.RunAsync(holder, Policies.Parse(Policies.Json(burst: 2, blocked: "\"dev:alice\"")), _recent.Latest(1000), CancellationToken.None);
        var same = await PolicyReplay.RunAsync(holder, holder.Current, _recent.Latest(1000), CancellationToken.None);

        Assert.Equal(5, blocked.Changed);
        Assert.Equal([("admitted", "denied (blocked)", 2), ("limited (rate.burst)", "denied (blocked)", 3)],
            blocked.Changes.Select(c => (c.From, c.To, c.Count)).OrderBy(c => c.Item1));
        Assert.Equal(0, same.Changed);
        Assert.Empty(same.Changes);
    }

    [Fact]
    public async Task The_replay_never_takes_from_the_live_limits()
    {
        var store = new EmbeddedRateLimitStore();
        var holder = await SendFiveAsync(Policies.Json(burst: 2), store);
        var before = store.Count;

        await PolicyReplay.RunAsync(holder, Policies.Parse(Policies.Json(burst: 10)), _recent.Latest(1000), CancellationToken.None);
        var after = await new SponsoredTransactionGate(holder, store, _clock).AdmitAsync(Identities.Of("dev", "alice"), Transfer());

        Assert.Equal(before, store.Count);
        Assert.Equal("rate.burst", after.Reason);
    }

    private async Task<PolicyHolder> SendFiveAsync(string policyJson, EmbeddedRateLimitStore? store = null)
    {
        var holder = new PolicyHolder(Policies.Parse(policyJson));
        var gate = new SponsoredTransactionGate(holder, store ?? new EmbeddedRateLimitStore(), _clock, meter: null, recent: _recent);
        for (var i = 0; i < 5; i++)
        {
            await gate.AdmitAsync(Identities.Of("dev", "alice"), Transfer());
            _clock.Advance(TimeSpan.FromMilliseconds(100));
        }

        return holder;
    }

    private static SponsoredCall Transfer() => new(Policies.Token, Policies.TransferData(), UInt128.Zero, null);
}
