using TestInfrastructure.Verifier;

namespace Sequencer.Tests.Infrastructure;

/// <summary>
/// A real verifier endpoint (Kestrel on a free loopback port) and a sequencer whose policy sends some providers'
/// calls to it: "guarded" (asks every time), "cached" (answers kept 10 min), "slow" (the endpoint never answers in
/// time), "lenient" (same, but the verifier fails open) and "forged" (the sequencer signs with a wrong secret).
/// </summary>
public sealed class VerifierHookHost : IAsyncLifetime
{
    public const string Secret = "verifier-test-secret-8d1f0b7e24c9a35f61e0";
    public const string WrongSecret = "someone-elses-secret-3a9c07d5e1b4f826c0d7";

    private static readonly string[] Providers = ["guarded", "cached", "slow", "lenient", "forged"];

    public TestVerifierEndpoint Endpoint { get; private set; } = null!;

    public AdmissionSequencerHost Sequencer { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Endpoint = await TestVerifierEndpoint.StartAsync(Secret);
        string[] settings =
        [
            .. Verifier("guard", "decide", Secret, timeoutMs: 10_000),
            .. Verifier("cached", "decide", Secret, timeoutMs: 10_000, cacheSeconds: 600),
            .. Verifier("slow", "slow", Secret, timeoutMs: 300),
            .. Verifier("slow-open", "slow", Secret, timeoutMs: 300, failOpen: true),
            .. Verifier("forged", "decide", WrongSecret, timeoutMs: 10_000),
        ];
        Sequencer = new Host(Policy(), settings);
        await Sequencer.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await Sequencer.DisposeAsync();
        await Endpoint.DisposeAsync();
    }

    private string[] Verifier(string name, string mode, string secret, int timeoutMs, int cacheSeconds = 0, bool failOpen = false) =>
    [
        $"--Admission:Verifiers:{name}:Url={new Uri(Endpoint.BaseUrl, mode)}",
        $"--Admission:Verifiers:{name}:Secret={secret}",
        $"--Admission:Verifiers:{name}:TimeoutMs={timeoutMs}",
        $"--Admission:Verifiers:{name}:CacheSeconds={cacheSeconds}",
        $"--Admission:Verifiers:{name}:FailOpen={failOpen}",
    ];

    private static string Policy()
    {
        string[] verifiers = ["guard", "cached", "slow", "slow-open", "forged"];
        var rules = Providers.Select((provider, i) => $$"""
            { "name": "{{provider}}-app", "provider": "{{provider}}", "verifier": "{{verifiers[i]}}",
              "allowedContracts": [ { "address": "{{AdmissionSequencerHost.Token}}" } ],
              "maxGasPerTx": 200000, "defaultGasPerTx": 60000,
              "rate": { "burst": { "count": 1000, "periodSeconds": 1 } },
              "dailyGasBudget": 1000000000, "dailyTxQuota": 100000 }
            """);
        return $$"""{ "version": 1, "rules": [ {{string.Join(",", rules)}} ], "globalDailySponsoredGas": 100000000000 }""";
    }

    private sealed class Host(string policy, string[] settings) : AdmissionSequencerHost(policy, settings);
}
