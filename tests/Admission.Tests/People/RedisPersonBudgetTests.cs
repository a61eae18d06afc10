using Admission.Limits;
using Admission.People;
using Admission.Policy;
using Admission.Sponsorship;
using Admission.Tests.Infrastructure;
using Admission.Tests.Limits;
using Microsoft.Extensions.Logging.Abstractions;
using TestInfrastructure.Redis;

namespace Admission.Tests.People;

[Collection(RedisServerFixture.Collection)]
public sealed class RedisPersonBudgetTests(RedisServerFixture redis) : PersonBudgetContract, IDisposable
{
    private readonly RedisConnection _connection = new(redis.Server.ConnectionString, "people-test:");

    private protected override IRateLimitStore Limits => new RedisRateLimitStore(_connection, TestRedis.Circuit());

    private protected override IPersonStore People => new RedisPersonStore(_connection, TestRedis.Circuit());

    private protected override IPolicyStore Audit => new RedisPolicyStore(_connection, NullLogger<RedisPolicyStore>.Instance);

    [Fact]
    public async Task A_link_made_on_one_replica_counts_on_another()
    {
        using var other = new RedisConnection(redis.Server.ConnectionString, "people-test:");
        var run = Guid.NewGuid().ToString("N")[..8];
        var (alice, bob) = (Identities.Of("dev", "alice-" + run), Identities.Of("dev", "bob-" + run));
        var policies = new PolicyHolder(Policies.Parse(Policies.Json(burst: 100, dailyTxQuota: 2)));
        var first = new PersonLinking(People, Limits, Audit, policies, Clock);
        var secondStore = new RedisRateLimitStore(other, TestRedis.Circuit());
        var second = new PersonLinking(new RedisPersonStore(other, TestRedis.Circuit()), secondStore, Audit, policies, Clock);
        var call = new SponsoredCall(Policies.Token, Policies.TransferData(), UInt128.Zero, null);

        await first.LinkAsync(alice.Key, bob.Key, "test");

        Assert.True((await new SponsoredTransactionGate(policies, Limits, Clock, people: first).AdmitAsync(alice, call)).IsAdmitted);
        var onSecond = new SponsoredTransactionGate(policies, secondStore, Clock, people: second);
        Assert.True((await onSecond.AdmitAsync(bob, call)).IsAdmitted);
        Assert.Equal(LimitRules.DailyTxQuota, (await onSecond.AdmitAsync(alice, call)).Reason);
    }

    [Fact]
    public async Task The_limit_script_finds_a_linked_logins_person_and_counts_under_it()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var (alice, bob) = (Identities.Of("dev", "alice-" + run), Identities.Of("dev", "bob-" + run));
        var policies = new PolicyHolder(Policies.Parse(Policies.Json(burst: 100, dailyTxQuota: 2)));
        var person = (await new PersonLinking(People, Limits, Audit, policies, Clock).LinkAsync(alice.Key, bob.Key, "test")).Person;
        var store = new RedisRateLimitStore(_connection, TestRedis.Circuit());
        var nowUs = Clock.GetUtcNow().ToUnixTimeMilliseconds() * 1000;
        var day = LimitKeys.Day(nowUs);

        // The request names alice's own keys; with alice as its owner the script looks her person up as it takes.
        var request = SponsoredTransactionGate.BuildRequest(policies.Current, policies.Current.Rules[0], alice.Key, 50_000, nowUs, priceWei: 7, ownerResolved: true);
        var outcome = await store.AcquireAsync(request);

        Assert.Equal(LimitStatus.Allowed, outcome.Status);
        Assert.Equal(person, outcome.Person);
        Assert.True(store.ResolvesPersons(People));
        var counted = await store.ReadAsync([LimitKeys.DailyTx(day, person), LimitKeys.DailyTx(day, alice.Key), LimitKeys.DailyGas(day, person)], nowUs);
        Assert.Equal(new long[] { 1, 0, 50_000 }, counted);
        Assert.Equal(new UInt128[] { 350_000, 0 }, await store.ReadSpendAsync([LimitKeys.DailyWei(day, person), LimitKeys.DailyWei(day, alice.Key)], nowUs));
        var top = await store.TopAsync(LimitKeys.TopByGas(day), 10_000, nowUs);
        Assert.Contains(new BoardEntry(person, 50_000), top);
        Assert.DoesNotContain(top, entry => entry.Member == alice.Key);

        // Not linked: the owner's own keys, and no person in the outcome.
        var carol = Identities.Of("dev", "carol-" + run);
        var alone = await store.AcquireAsync(SponsoredTransactionGate.BuildRequest(policies.Current, policies.Current.Rules[0], carol.Key, 50_000, nowUs, ownerResolved: true));
        Assert.Null(alone.Person);
        Assert.Equal(new long[] { 1 }, await store.ReadAsync([LimitKeys.DailyTx(day, carol.Key)], nowUs));
    }

    [Fact]
    public async Task A_gate_on_redis_charges_a_linked_logins_spend_to_its_person()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var (alice, bob) = (Identities.Of("dev", "alice-" + run), Identities.Of("dev", "bob-" + run));
        var policies = new PolicyHolder(Policies.Parse(Policies.Json(burst: 100, dailyTxQuota: 2)));
        var linking = new PersonLinking(People, Limits, Audit, policies, Clock);
        var person = (await linking.LinkAsync(alice.Key, bob.Key, "test")).Person;
        var gate = new SponsoredTransactionGate(policies, Limits, Clock, price: new Admission.Spending.SponsoredGasPrice(3, false), people: linking);

        var decision = await gate.AdmitAsync(bob, new SponsoredCall(Policies.Token, Policies.TransferData(), UInt128.Zero, null));

        Assert.True(linking.ResolvedBy(Limits));
        Assert.True(decision.IsAdmitted);
        Assert.Equal(person, decision.SpendKey);
    }

    public void Dispose() => _connection.Dispose();
}
