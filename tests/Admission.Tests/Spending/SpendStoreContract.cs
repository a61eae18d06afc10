using System.Globalization;
using Admission.Limits;
using Admission.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace Admission.Tests.Spending;

/// <summary>
/// Reservation and settlement arithmetic of wei budgets that both stores must have: exact to the wei above 2^64,
/// atomic with the other limits, settled once, never releasing more than was reserved.
/// </summary>
public abstract class SpendStoreContract
{
    private const long Hour = 3_600_000_000;

    private readonly FakeTimeProvider _clock = new(TestClock.Noon);
    private readonly string _id = Guid.NewGuid().ToString("N");

    private protected abstract IRateLimitStore Store { get; }

    private ISpendStore Spends => (ISpendStore)Store;

    private long Now => _clock.NowUs;

    private string IdentityKey => "wei:identity:" + _id;

    private string GlobalKey => "wei:global:" + _id;

    [Fact]
    public async Task A_reservation_settled_at_gas_used_keeps_gas_used_times_price_and_releases_the_rest()
    {
        const ulong price = 1_000_000_007;
        Assert.Equal(LimitStatus.Allowed, (await Reserve(300_000 * (UInt128)price)).Status);
        await Record(H("0xaa"), 300_000 * (UInt128)price, block: 5);

        var settled = await Spends.SettleAsync(H("0xaa"), 21_000 * (UInt128)price, Now);

        Assert.True(settled.Settled);
        Assert.Equal(21_000 * (UInt128)price, settled.ChargedWei);
        Assert.Equal(279_000 * (UInt128)price, settled.ReleasedWei);
        Assert.Equal("alice", settled.Identity);
        Assert.Equal([21_000 * (UInt128)price, 21_000 * (UInt128)price], await Spends.ReadSpendAsync([IdentityKey, GlobalKey], Now));
    }

    [Fact]
    public async Task A_receipt_seen_twice_settles_once()
    {
        await Reserve(1000);
        await Record(H("0xbb"), 1000, block: 1);
        Assert.True((await Spends.SettleAsync(H("0xbb"), 100, Now)).Settled);

        var again = await Spends.SettleAsync(H("0xbb"), 0, Now);

        Assert.False(again.Settled);
        Assert.Equal([(UInt128)100, 100], await Spends.ReadSpendAsync([IdentityKey, GlobalKey], Now));
        Assert.Empty(await Spends.PendingAsync(10, 100));
    }

    [Fact]
    public async Task Settlement_never_releases_more_than_was_reserved()
    {
        await Reserve(1000);
        await Reserve(500);
        await Record(H("0xcc"), 500, block: 1);

        var settled = await Spends.SettleAsync(H("0xcc"), 900, Now);

        Assert.Equal((UInt128)500, settled.ChargedWei);
        Assert.Equal(UInt128.Zero, settled.ReleasedWei);
        Assert.Equal([(UInt128)1500, 1500], await Spends.ReadSpendAsync([IdentityKey, GlobalKey], Now));
    }

    [Fact]
    public async Task Caps_above_two_to_the_64_are_kept_to_the_wei()
    {
        // 100.000000000000000007 ETH per transaction, cap 300.000000000000000021: three fit exactly, a fourth does not.
        var amount = UInt128.Parse("100000000000000000007", CultureInfo.InvariantCulture);
        var cap = 3 * amount;
        for (var i = 0; i < 3; i++)
        {
            var outcome = await Reserve(amount, identityCap: cap);
            Assert.Equal(LimitStatus.Allowed, outcome.Status);
            Assert.Equal((UInt128)(i + 1) * amount, outcome.SpendTotals![0]);
        }

        var refused = await Reserve(1, identityCap: cap);

        Assert.Equal(LimitStatus.Limited, refused.Status);
        Assert.Equal("identity-cap", refused.Rule);
        Assert.Equal([cap, cap], await Spends.ReadSpendAsync([IdentityKey, GlobalKey], Now));
    }

    [Fact]
    public async Task Limb_carries_and_borrows_are_exact()
    {
        // 10^15 - 1 twice crosses the Redis store's 15-digit limb; settling at 1 borrows across it again.
        const ulong almostLimb = 999_999_999_999_999;
        await Reserve(almostLimb);
        await Reserve(almostLimb);
        await Record(H("0xdd"), almostLimb, block: 2);
        Assert.Equal([2 * (UInt128)almostLimb, 2 * (UInt128)almostLimb], await Spends.ReadSpendAsync([IdentityKey, GlobalKey], Now));

        await Spends.SettleAsync(H("0xdd"), 1, Now);

        Assert.Equal([almostLimb + (UInt128)1, almostLimb + (UInt128)1], await Spends.ReadSpendAsync([IdentityKey, GlobalKey], Now));
    }

    [Fact]
    public async Task A_spend_cap_refusal_takes_none_of_the_other_limits()
    {
        var burst = new RateCheck("wei:burst:" + _id, "rate.burst", Hour, Hour);
        var quota = new QuotaCheck("wei:tx:" + _id, "dailyTxQuota", 1, 10, Now + Hour);
        var over = new LimitRequest(Now, [burst], [quota]) { Spends = [Spend(IdentityKey, 101, cap: 100)] };

        var refused = await Store.AcquireAsync(over);

        Assert.Equal("identity-cap", refused.Rule);
        var fits = new LimitRequest(Now, [burst], [quota]) { Spends = [Spend(IdentityKey, 100, cap: 100)] };
        Assert.Equal(LimitStatus.Allowed, (await Store.AcquireAsync(fits)).Status);
        Assert.Equal(1, (await Store.ReadAsync([quota.Key], Now))[0]);
    }

    [Fact]
    public async Task Pending_lists_recorded_reservations_up_to_a_block_oldest_first()
    {
        await Reserve(30);
        await Record(H("0x03"), 10, block: 9);
        await Record(H("0x01"), 10, block: 7);
        await Record(H("0x02"), 10, block: 8);

        var upTo8 = await Spends.PendingAsync(8, 100);

        var mine = upTo8.Where(p => p.TxHash == H("0x01") || p.TxHash == H("0x02") || p.TxHash == H("0x03")).ToArray();
        Assert.Equal([H("0x01"), H("0x02")], mine.Select(p => p.TxHash));
        await Spends.SettleAsync(H("0x01"), 10, Now);
        await Spends.SettleAsync(H("0x02"), 10, Now);
        await Spends.SettleAsync(H("0x03"), 10, Now);
        Assert.DoesNotContain(await Spends.PendingAsync(9, 100), p => p.TxHash == H("0x01") || p.TxHash == H("0x02") || p.TxHash == H("0x03"));
    }

    [Fact]
    public async Task A_mark_is_taken_once()
    {
        var key = "wei:mark:" + _id;

        Assert.True(await Spends.TryMarkAsync(key, Now, Now + Hour));
        Assert.False(await Spends.TryMarkAsync(key, Now, Now + Hour));
    }

    private ValueTask<LimitOutcome> Reserve(UInt128 amount, UInt128? identityCap = null) =>
        Store.AcquireAsync(new LimitRequest(Now, [], []) { Spends = [Spend(IdentityKey, amount, identityCap), Spend(GlobalKey, amount, null, "global-cap")] });

    private SpendCheck Spend(string key, UInt128 amount, UInt128? cap, string rule = "identity-cap") => new(key, rule, amount, cap, Now + 12 * Hour);

    // Hashes are unique per test: the Redis store's pending set is shared by the tests on one server.
    private ValueTask Record(string txHash, UInt128 amount, ulong block) =>
        Spends.RecordAsync(new SpendReservation(txHash, block, "alice", IdentityKey, GlobalKey, amount, 1, Now + 48 * Hour));

    private string H(string name) => name + _id;
}
