using Admission.Identity;
using Admission.Limits;
using Admission.Policy;
using Admission.Sponsorship;
using TestInfrastructure.Redis;

namespace Admission.Benchmarks;

/// <summary>
/// A sponsored gate over the embedded store or a real redis-server, with limits high enough that
/// decisions are admissions (the full check-and-take path: two GCRA windows, four daily counters, the usage board).
/// </summary>
internal sealed class LimiterSetup : IAsyncDisposable
{
    public const int Identities = 10_000;

    private const string Policy = """
        {
          "version": 1,
          "rules": [ {
            "name": "bench", "provider": "*",
            "allowedContracts": [ { "address": "*" } ],
            "maxGasPerTx": 100000,
            "rate": { "burst": { "count": 1000000, "periodSeconds": 1 }, "sustained": { "count": 1000000, "periodSeconds": 60 } },
            "dailyGasBudget": 9000000000000000, "dailyTxQuota": 9000000000000 } ],
          "globalDailySponsoredGas": 9000000000000000000,
          "blocked": []
        }
        """;

    private RedisServer? _redis;
    private RedisConnection? _connection;

    private LimiterSetup(SponsoredTransactionGate gate, AdmissionIdentity[] identities)
    {
        Gate = gate;
        IdentityPool = identities;
    }

    public SponsoredTransactionGate Gate { get; }

    public AdmissionIdentity[] IdentityPool { get; }

    public SponsoredCall Call { get; } = new("0x1111111111111111111111111111111111111111", [0xa9, 0x05, 0x9c, 0xbb], UInt128.Zero, 50_000);

    public static async Task<LimiterSetup> CreateAsync(string store)
    {
        if (!PolicyParser.TryParse(Policy, out var policy, out var errors))
        {
            throw new InvalidOperationException(string.Join("; ", errors));
        }

        var identities = new AdmissionIdentity[Identities];
        for (var i = 0; i < identities.Length; i++)
        {
            identities[i] = new AdmissionIdentity("bench", "https://bench.example", "user" + i, new Dictionary<string, string>());
        }

        if (store == "Embedded")
        {
            var holder = new PolicyHolder(policy!);
            return new LimiterSetup(new SponsoredTransactionGate(holder, new EmbeddedRateLimitStore(), TimeProvider.System, Meter(holder, "embedded")), identities);
        }

        var redis = await RedisServer.StartAsync();
        var connection = new RedisConnection(redis.ConnectionString, "bench:");
        // Measure decisions, not the first connect: wait until the client is connected.
        for (var i = 0; i < 200 && !connection.IsConnected; i++)
        {
            await Task.Delay(50);
        }

        var policies = new PolicyHolder(policy!);
        var gate = new SponsoredTransactionGate(policies, new RedisRateLimitStore(connection, RedisCircuit.WithDefaults()), TimeProvider.System, Meter(policies, "redis"));
        var setup = new LimiterSetup(gate, identities)
        {
            _redis = redis,
            _connection = connection,
        };
        return setup;
    }

    // The admission meter as the host has it, with a listener that takes every measurement (as an exporter does), so
    // that a decision pays for its recording; the listener itself does nothing with them.
    private static readonly System.Diagnostics.Metrics.MeterListener Listener = StartListener();

    private static Admission.Sponsorship.AdmissionMeter Meter(PolicyHolder policies, string store)
    {
        _ = Listener;
        var factory = Microsoft.Extensions.DependencyInjection.ServiceCollectionContainerBuilderExtensions.BuildServiceProvider(
            Microsoft.Extensions.DependencyInjection.MetricsServiceExtensions.AddMetrics(new Microsoft.Extensions.DependencyInjection.ServiceCollection()));
        return new Admission.Sponsorship.AdmissionMeter(
            (System.Diagnostics.Metrics.IMeterFactory)factory.GetService(typeof(System.Diagnostics.Metrics.IMeterFactory))!, policies, store, static () => true, TimeProvider.System);
    }

    private static System.Diagnostics.Metrics.MeterListener StartListener()
    {
        var listener = new System.Diagnostics.Metrics.MeterListener
        {
            InstrumentPublished = static (instrument, l) =>
            {
                if (instrument.Meter.Name == Admission.Sponsorship.AdmissionMeter.MeterName)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>(static (_, _, _, _) => { });
        listener.SetMeasurementEventCallback<double>(static (_, _, _, _) => { });
        listener.Start();
        return listener;
    }

    public async ValueTask DisposeAsync()
    {
        _connection?.Dispose();
        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }
    }
}
