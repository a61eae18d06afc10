using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;
using StackExchange.Redis;
using TestInfrastructure;
using TestInfrastructure.Identity;
using TestInfrastructure.Prometheus;
using TestInfrastructure.Redis;
using TestInfrastructure.Sequencer;

namespace Acceptance.Admission;

/// <summary>
/// The admission meter against what clients were told. A real sequencer process keeps its limits in a real
/// redis-server; several people logged in through the dev provider send sponsored transactions at once under a
/// policy that refuses by burst, daily transaction quota, daily gas budget, blocked identity and contract, and
/// finally with Redis out of memory (the limiter fails closed). Each client counts the reasons it got; the host's
/// <c>/metrics</c> must count exactly the same, reason by reason.
/// </summary>
public sealed class AdmissionMeterUnderLoadTests : IAsyncLifetime
{
    private const string Contract = "0x000000000000000000000000000000000000dead";
    private const string OtherContract = "0x000000000000000000000000000000000000beef";
    private const string Admitted = "admitted";

    /// <summary>A burst of 2 per 10 s, 3 transactions and 250,000 gas a day; mallory is blocked.</summary>
    private const string PolicyJson = $$"""
        {
          "version": 1,
          "rules": [
            { "name": "people", "provider": "*",
              "allowedContracts": [ { "address": "{{Contract}}" } ],
              "maxGasPerTx": 150000, "defaultGasPerTx": 50000,
              "rate": { "burst": { "count": 2, "periodSeconds": 10 } },
              "dailyTxQuota": 3, "dailyGasBudget": 250000 }
          ],
          "globalDailySponsoredGas": 1000000000,
          "blocked": [ "dev:mallory" ]
        }
        """;

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private readonly string _directory = Directory.CreateTempSubdirectory("admission-meter-").FullName;
    private readonly ConcurrentQueue<string> _received = new();
    private RedisServer _redis = null!;
    private SequencerProcess _host = null!;

    public async Task InitializeAsync()
    {
        var policy = Path.Combine(_directory, "policy.json");
        await File.WriteAllTextAsync(policy, PolicyJson);
        _redis = await RedisServer.StartAsync();
        _host = await SequencerProcess.StartAsync(
        [
            .. _redis.AdmissionSettings,
            $"--Admission:PolicyFile={policy}",
            "--Admission:Identity:DevProvider:Enabled=true",
            "--Logging:LogLevel:Default=Warning",
        ]);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _redis.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task The_meter_counts_each_refusal_reason_exactly_as_the_clients_received_it()
    {
        var people = new Dictionary<string, SessionCookieClient>();
        foreach (var name in new[] { "ann", "bob", "cat", "dan", "eve", "mallory", "gil" })
        {
            people[name] = new SessionCookieClient(_host.RpcUrl);
            await people[name].LogInAsync(name);
        }

        try
        {
            await Task.WhenAll(
                BurstAsync(people["ann"], 5),
                BurstAsync(people["bob"], 5),
                DailyQuotaAsync(people["cat"]),
                GasBudgetAsync(people["dan"]),
                SequentialAsync(people["eve"], 2, to: OtherContract),
                SequentialAsync(people["mallory"], 3));

            // Redis refuses writes (maxmemory 1 byte, noeviction): the limiter cannot take from the limits and
            // sponsored requests fail closed. Sessions are only read, so the requests still reach the gate.
            await SetRedisMaxMemoryAsync("1");
            await SequentialAsync(people["gil"], 3);
        }
        finally
        {
            foreach (var person in people.Values)
            {
                person.Dispose();
            }
        }

        var received = _received.GroupBy(r => r).ToDictionary(g => g.Key, g => (double)g.Count());
        // Every kind of answer the policy was written to give, so that the comparison below covers them all.
        foreach (var reason in new[] { Admitted, "rate.burst", "dailyTxQuota", "dailyGasBudget", "blocked", "allowedContracts", "limiter unavailable" })
        {
            Assert.True(received.ContainsKey(reason), $"no client received \"{reason}\"; received: {Describe(received)}");
        }

        // The exporter caches a scrape for a moment: poll (bounded) until the counts agree, then compare once more.
        var metered = await Eventually.UntilAsync(MeteredAsync, m => Describe(m) == Describe(received), TimeSpan.FromSeconds(15),
            m => $"meter {Describe(m)} vs clients {Describe(received)}");
        Assert.Equal(Describe(received), Describe(metered));
    }

    /// <summary>All at once: the burst of 2 lets two through, the rest are refused by rate.burst.</summary>
    private Task BurstAsync(SessionCookieClient person, int count) =>
        Task.WhenAll(Enumerable.Range(0, count).Select(_ => SendAsync(person)));

    /// <summary>Three pass, each after the burst has room again; the fourth is refused by the daily quota.</summary>
    private async Task DailyQuotaAsync(SessionCookieClient person)
    {
        for (var i = 0; i < 4; i++)
        {
            await WaitForBurstRoomAsync(person);
            await SendAsync(person);
        }
    }

    /// <summary>150,000 gas passes; another 150,000 is over the daily 250,000.</summary>
    private async Task GasBudgetAsync(SessionCookieClient person)
    {
        await SendAsync(person, gas: "0x249f0");
        await SendAsync(person, gas: "0x249f0");
    }

    private async Task SequentialAsync(SessionCookieClient person, int count, string to = Contract)
    {
        for (var i = 0; i < count; i++)
        {
            await SendAsync(person, to: to);
        }
    }

    /// <summary>Sends one sponsored call and records what the client was told: "admitted" or the error's data.reason.</summary>
    private async Task SendAsync(SessionCookieClient person, string to = Contract, string? gas = null)
    {
        var call = gas is null ? $$"""{"to":"{{to}}","data":"0x"}""" : $$"""{"to":"{{to}}","data":"0x","gas":"{{gas}}"}""";
        using var response = await person.FromPageAsync(HttpMethod.Post, "/",
            $$"""{"jsonrpc":"2.0","id":1,"method":"sequencer_sendSponsoredTransaction","params":[{{call}}]}""");
        var reply = await response.Content.ReadFromJsonAsync<JsonElement>();
        if (reply.TryGetProperty("result", out _))
        {
            _received.Enqueue(Admitted);
            return;
        }

        var error = reply.GetProperty("error");
        if (!error.TryGetProperty("data", out var data) || !data.TryGetProperty("reason", out var reason))
        {
            throw new Xunit.Sdk.XunitException("a refusal without a typed reason: " + error.GetRawText());
        }

        _received.Enqueue(reason.GetString()!);
    }

    private static Task WaitForBurstRoomAsync(SessionCookieClient person) => Eventually.UntilAsync(
        async () =>
        {
            using var response = await person.FromPageAsync(HttpMethod.Post, "/", """{"jsonrpc":"2.0","id":1,"method":"sequencer_getIdentity","params":[]}""");
            var reply = await response.Content.ReadFromJsonAsync<JsonElement>();
            return reply.GetProperty("result").GetProperty("usage").GetProperty("burst").GetProperty("remaining").GetInt64();
        },
        remaining => remaining >= 1,
        Timeout,
        remaining => $"the burst window did not refill: {remaining} left");

    /// <summary>The meter's admission_sponsored_decisions_total summed by reason (admitted: by verdict).</summary>
    private async Task<Dictionary<string, double>> MeteredAsync()
    {
        using var http = new HttpClient();
        var series = ScrapedSeries.Parse(await http.GetStringAsync(new Uri(_host.RpcUrl, "metrics")));
        var byReason = new Dictionary<string, double>();
        foreach (var sample in series.Where(s => s.Name == "admission_sponsored_decisions_total"))
        {
            var verdict = sample.Label("verdict");
            var key = verdict == Admitted ? Admitted : sample.Label("reason");
            Assert.Equal(ExpectedVerdict(key), verdict);
            byReason[key] = byReason.GetValueOrDefault(key) + sample.Value;
        }

        return byReason;
    }

    private static string ExpectedVerdict(string reason) => reason switch
    {
        Admitted => Admitted,
        "blocked" or "allowedContracts" => "denied",
        "limiter unavailable" => "failed_closed",
        _ => "limited",
    };

    private async Task SetRedisMaxMemoryAsync(string bytes)
    {
        await using var admin = await ConnectionMultiplexer.ConnectAsync(_redis.ConnectionString + ",allowAdmin=true");
        await admin.GetServer(admin.GetEndPoints()[0]).ConfigSetAsync("maxmemory", bytes);
    }

    private static string Describe(IReadOnlyDictionary<string, double> counts) =>
        string.Join(", ", counts.Where(c => c.Value != 0).OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key}={c.Value}"));
}
