using System.Globalization;
using Admission.Limits;
using StackExchange.Redis;
using TestInfrastructure.Redis;

namespace Admission.Tests.Limits;

/// <summary>
/// The Redis store sends the admissions that arrive while a call is in flight together in one EVALSHA. Many concurrent
/// callers on two replicas (two connections) must still take every limit exactly, as when each decision was its own call.
/// </summary>
[Collection(RedisServerFixture.Collection)]
public sealed class RedisAcquireBatchTests(RedisServerFixture redis) : IDisposable
{
    private const long Hour = 3_600_000_000;
    private const int Identities = 30;
    private const int RequestsPerIdentity = 12;
    private const int Burst = 5;
    private const int GlobalLimit = 100;

    private readonly RedisConnection _first = new(redis.Server.ConnectionString, "test:");
    private readonly RedisConnection _second = new(redis.Server.ConnectionString, "test:");

    [Fact]
    public async Task ConcurrentCallersOnTwoReplicas_NeverExceedAPersonalOrTheGlobalLimit_InFewerCallsThanRequests()
    {
        var stores = new[] { new RedisRateLimitStore(_first, TestRedis.Circuit()), new RedisRateLimitStore(_second, TestRedis.Circuit()) };
        var id = Guid.NewGuid().ToString("N");
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1000;
        var global = new QuotaCheck(id + ":global", "global", 1, GlobalLimit, now + Hour);
        var callsBefore = await EvalShaCallsAsync();

        // Each identity may pass Burst times (the burst window), all of them together GlobalLimit times: Identities × Burst
        // (150) would pass the personal limits, so the global one decides the last 50.
        var requests = new List<(int Identity, Task<LimitOutcome> Outcome)>();
        for (var round = 0; round < RequestsPerIdentity; round++)
        {
            for (var identity = 0; identity < Identities; identity++)
            {
                var name = id + ":" + identity.ToString(CultureInfo.InvariantCulture);
                var request = new LimitRequest(
                    now,
                    [new RateCheck("rate:" + name, "burst", Hour / Burst, Hour, Personal: true)],
                    [new QuotaCheck("tx:" + name, "tx", 1, null, now + Hour, Personal: true), global]);
                requests.Add((identity, stores[(round + identity) % 2].AcquireAsync(request).AsTask()));
            }
        }

        var outcomes = await Task.WhenAll(requests.Select(r => r.Outcome));
        var answers = requests.Select((r, i) => (r.Identity, Outcome: outcomes[i])).ToList();

        var allowed = answers.Where(r => r.Outcome.Status == LimitStatus.Allowed).ToList();
        Assert.Equal(GlobalLimit, allowed.Count);
        Assert.All(allowed.GroupBy(r => r.Identity), passed => Assert.InRange(passed.Count(), 1, Burst));
        Assert.All(answers.Where(r => r.Outcome.Status != LimitStatus.Allowed), r => Assert.Contains(r.Outcome.Rule, new[] { "burst", "global" }));

        // What Redis holds agrees with the answers: the global counter and each identity's count of taken requests.
        var keys = new List<string> { global.Key };
        keys.AddRange(Enumerable.Range(0, Identities).Select(i => "tx:" + id + ":" + i.ToString(CultureInfo.InvariantCulture)));
        var counters = await stores[0].ReadAsync(keys, now);
        Assert.Equal(GlobalLimit, counters[0]);
        for (var identity = 0; identity < Identities; identity++)
        {
            Assert.Equal(allowed.Count(r => r.Identity == identity), counters[1 + identity]);
        }

        // The requests did go in batches (so the limits above were taken inside batches): fewer script calls than requests.
        Assert.InRange(await EvalShaCallsAsync() - callsBefore, 1, requests.Count - 1);
    }

    [Fact]
    public async Task GlobalCounters_InOneBatch_EndAsTheSumOfItsTakes_WithAnExpiry_AndStopAtTheirLimits()
    {
        // Most of these requests go in one batch, all taking from the same global counters. Every request must see the
        // ones before it: a global wei cap of 40 reservations of 1.5 ETH refuses the 41st on, and what Redis holds
        // afterwards is exactly the admitted sum, with the day's expiry the first take set.
        const int Requests = 60;
        const int CapTakes = 40;
        var amount = UInt128.Parse("1500000000000000000", CultureInfo.InvariantCulture);
        var store = new RedisRateLimitStore(_first, TestRedis.Circuit());
        var id = Guid.NewGuid().ToString("N");
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1000;
        var (gasKey, weiKey) = (id + ":global-gas", id + ":global-wei");
        var tasks = new List<Task<LimitOutcome>>();
        for (var i = 0; i < Requests; i++)
        {
            var name = id + ":" + i.ToString(CultureInfo.InvariantCulture);
            tasks.Add(store.AcquireAsync(new LimitRequest(
                now,
                [],
                [new QuotaCheck("tx:" + name, "tx", 1, null, now + Hour, Personal: true), new QuotaCheck(gasKey, "globalGas", 21_000, null, now + Hour)])
            {
                Spends = [new SpendCheck("wei:" + name, "wei", amount, null, now + Hour, Personal: true), new SpendCheck(weiKey, "globalWei", amount, amount * CapTakes, now + Hour)],
            }).AsTask());
        }

        var outcomes = await Task.WhenAll(tasks);

        var allowed = outcomes.Where(o => o.Status == LimitStatus.Allowed).ToList();
        Assert.Equal(CapTakes, allowed.Count);
        Assert.All(outcomes.Where(o => o.Status != LimitStatus.Allowed), o => Assert.Equal("globalWei", o.Rule));
        // Each admitted request saw the global total of those before it: the totals are 1..40 reservations, each once.
        Assert.Equal(Enumerable.Range(1, CapTakes).Select(n => amount * (UInt128)n), allowed.Select(o => o.SpendTotals![1]).Order());

        var db = _first.Database;
        Assert.Equal(21_000L * CapTakes, (long)await db.StringGetAsync(_first.Key(gasKey)));
        Assert.Equal((amount * CapTakes).ToString(CultureInfo.InvariantCulture), (string?)await db.StringGetAsync(_first.Key(weiKey)));
        foreach (var key in new[] { gasKey, weiKey })
        {
            var ttl = await db.KeyTimeToLiveAsync(_first.Key(key));
            Assert.NotNull(ttl);
            Assert.InRange(ttl!.Value, TimeSpan.FromMinutes(59), TimeSpan.FromMinutes(61));
        }
    }

    private async Task<long> EvalShaCallsAsync()
    {
        await using var admin = await ConnectionMultiplexer.ConnectAsync(redis.Server.ConnectionString + ",allowAdmin=true");
        var info = (string)(await admin.GetDatabase().ExecuteAsync("INFO", "commandstats"))!;
        long calls = 0;
        foreach (var line in info.Split('\n'))
        {
            // cmdstat_evalsha:calls=N,usec=…  (and cmdstat_eval for the first call, which loads the script)
            if (line.StartsWith("cmdstat_evalsha:", StringComparison.Ordinal) || line.StartsWith("cmdstat_eval:", StringComparison.Ordinal))
            {
                var start = line.IndexOf("calls=", StringComparison.Ordinal) + "calls=".Length;
                var end = line.IndexOf(',', start);
                calls += long.Parse(line.AsSpan(start, end - start), CultureInfo.InvariantCulture);
            }
        }

        return calls;
    }

    public void Dispose()
    {
        _first.Dispose();
        _second.Dispose();
    }
}
