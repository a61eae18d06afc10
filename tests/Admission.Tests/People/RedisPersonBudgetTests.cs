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

    public void Dispose() => _connection.Dispose();
}
