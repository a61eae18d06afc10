using Admission.Identity;
using Admission.Limits;
using Admission.People;
using Admission.Policy;
using Admission.Sponsorship;
using Admission.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;
using Primitives;

namespace Admission.Tests.People;

/// <summary>
/// Limits count per person: logins and wallets linked into one person share one budget, usage already spent adds up on
/// linking, and unlinking is audited and gives nobody a fresh budget. Run on the embedded stores and on a real redis-server.
/// </summary>
public abstract class PersonBudgetContract
{
    private const string Contract = "0x2222222222222222222222222222222222222222";

    private protected readonly FakeTimeProvider Clock = new(DateTimeOffset.UtcNow);
    private readonly string _run = Guid.NewGuid().ToString("N")[..8];

    private protected abstract IRateLimitStore Limits { get; }

    private protected abstract IPersonStore People { get; }

    private protected abstract IPolicyStore Audit { get; }

    /// <summary>Any provider (wallets included): burst 3 per 10 s, 5 transactions a day.</summary>
    private static readonly string PolicyJson = $$"""
        { "version": 1,
          "rules": [ { "name": "everyone", "provider": "*", "allowedContracts": [ { "address": "{{Contract}}" } ],
                       "maxGasPerTx": 100000, "defaultGasPerTx": 50000,
                       "rate": { "burst": { "count": 3, "periodSeconds": 10 } }, "dailyTxQuota": 5 } ],
          "globalDailySponsoredGas": 1000000000 }
        """;

    private readonly PolicyHolder _policies = new(Policies.Parse(PolicyJson));

    private PersonLinking Linking => new(People, Limits, Audit, _policies, Clock);

    private SponsoredTransactionGate Gate => new(_policies, Limits, Clock, people: Linking);

    private AdmissionIdentity Login(string name) => Identities.Of("dev", name + "-" + _run);

    private static SponsoredCall Call() => new(Contract, [], UInt128.Zero, null);

    [Fact]
    public async Task Two_logins_and_a_wallet_share_one_daily_budget()
    {
        var (alice, aliceOnX) = (Login("alice"), Login("alice-x"));
        var wallet = RandomWallet();
        Assert.Equal(LinkStatus.Linked, (await Linking.LinkAsync(alice.Key, aliceOnX.Key, "test")).Status);
        Assert.Equal(LinkStatus.Linked, (await Linking.LinkAsync(aliceOnX.Key, PersonKeys.Wallet(wallet), "test")).Status);
        var wallets = new LinkedWalletGate(Gate, People);

        Assert.True((await Gate.AdmitAsync(alice, Call())).IsAdmitted);
        Assert.True((await Gate.AdmitAsync(aliceOnX, Call())).IsAdmitted);
        Assert.True((await wallets.AdmitAsync(wallet, Contract, [], UInt128.Zero, 50_000))!.IsAdmitted);
        Assert.Equal(LimitRules.Burst, (await Gate.AdmitAsync(alice, Call())).Reason);
        Clock.Advance(TimeSpan.FromSeconds(11));
        Assert.True((await Gate.AdmitAsync(alice, Call())).IsAdmitted);
        Assert.True((await wallets.AdmitAsync(wallet, Contract, [], UInt128.Zero, 50_000))!.IsAdmitted);
        Clock.Advance(TimeSpan.FromSeconds(11));

        Assert.Equal(LimitRules.DailyTxQuota, (await Gate.AdmitAsync(aliceOnX, Call())).Reason);
        Assert.Equal(LimitRules.DailyTxQuota, (await wallets.AdmitAsync(wallet, Contract, [], UInt128.Zero, 50_000))!.Reason);
        var usage = await new UsageReader(_policies, Limits, Clock, people: Linking).ForIdentityAsync(aliceOnX);
        Assert.Equal(5, usage.TxToday);
        Assert.Equal(aliceOnX.Key, usage.Identity);
        Assert.Equal(3, usage.Person!.Members.Count);
    }

    [Fact]
    public async Task Linking_adds_up_what_both_logins_used_today()
    {
        var (alice, bob) = (Login("alice"), Login("bob"));
        Assert.True((await Gate.AdmitAsync(alice, Call())).IsAdmitted);
        Assert.True((await Gate.AdmitAsync(alice, Call())).IsAdmitted);
        Assert.True((await Gate.AdmitAsync(bob, Call())).IsAdmitted);
        Assert.True((await Gate.AdmitAsync(bob, Call())).IsAdmitted);

        await Linking.LinkAsync(alice.Key, bob.Key, "test");

        // Four requests within the burst's 10 s: the person's window is over its 3, and 4 of its 5 a day are spent.
        Assert.Equal(LimitRules.Burst, (await Gate.AdmitAsync(bob, Call())).Reason);
        Clock.Advance(TimeSpan.FromSeconds(20));
        Assert.True((await Gate.AdmitAsync(alice, Call())).IsAdmitted);
        Clock.Advance(TimeSpan.FromSeconds(20));
        Assert.Equal(LimitRules.DailyTxQuota, (await Gate.AdmitAsync(bob, Call())).Reason);
        var top = await new UsageReader(_policies, Limits, Clock, people: Linking).TopAsync(1000);
        Assert.DoesNotContain(top, user => user.Identity == alice.Key || user.Identity == bob.Key);
        Assert.Contains(top, user => PersonKeys.IsPerson(user.Identity) && user.TxToday == 5);
    }

    [Fact]
    public async Task Unlinking_is_audited_and_gives_no_fresh_budget()
    {
        var (alice, bob) = (Login("alice"), Login("bob"));
        var linked = await Linking.LinkAsync(alice.Key, bob.Key, "test");
        for (var i = 0; i < 3; i++)
        {
            Assert.True((await Gate.AdmitAsync(i % 2 == 0 ? alice : bob, Call())).IsAdmitted);
            Clock.Advance(TimeSpan.FromSeconds(11));
        }

        var unlinked = await Linking.UnlinkAsync(alice.Key, alice.Key, bob.Key);

        Assert.Equal(linked.Person, unlinked.Person);
        Assert.Equal([bob.Key, alice.Key], unlinked.Left);
        Assert.Null(await People.PersonOfAsync(bob.Key));
        Assert.Null(await People.PersonOfAsync(alice.Key));
        var audit = await Audit.ReadAuditAsync(1000, CancellationToken.None);
        var entry = Assert.Single(audit, e => e.Action == "person.unlink" && e.Changes.Any(c => c.Contains(bob.Key, StringComparison.Ordinal)));
        Assert.Equal(alice.Key, entry.Actor);
        Assert.Contains(audit, e => e.Action == "person.link" && e.Changes.Any(c => c.Contains(bob.Key, StringComparison.Ordinal)));

        // Each keeps the person's 3 of 5: two more each would be 7 between them, never 10.
        var reader = new UsageReader(_policies, Limits, Clock, people: Linking);
        Assert.Equal(3, (await reader.ForIdentityAsync(bob)).TxToday);
        Assert.Equal(3, (await reader.ForIdentityAsync(alice)).TxToday);
        Assert.Null((await reader.ForIdentityAsync(bob)).Person);
    }

    [Fact]
    public async Task A_wallet_linked_to_nobody_is_not_admitted()
    {
        Assert.Null(await new LinkedWalletGate(Gate, People).AdmitAsync(RandomWallet(), Contract, [], UInt128.Zero, 50_000));
    }

    private static Address RandomWallet()
    {
        Assert.True(Address.TryParse("0x" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(20)), out var wallet));
        return wallet;
    }
}
