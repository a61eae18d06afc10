using TestInfrastructure;
using Admission.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using TestInfrastructure.Ethereum;
using TestInfrastructure.Identity;

namespace Sequencer.Tests.Infrastructure;

/// <summary>
/// A sequencer host with admission configured by a test policy, and the header test authenticator in
/// place of token validation (the identity side is tested with a real OIDC provider elsewhere).
/// </summary>
public class AdmissionSequencerHost : SequencerHostFixture
{
    public const string Token = "0x1111111111111111111111111111111111111111";
    public const string TransferSelector = "0xa9059cbb";

    /// <summary>Rules by provider: "dev" has a small burst, "quota" a small daily quota, everyone else generous limits.</summary>
    public const string PolicyJson = """
        {
          "version": 1,
          "rules": [
            { "name": "burst-app", "provider": "dev",
              "allowedContracts": [ { "address": "0x1111111111111111111111111111111111111111", "selectors": [ "0xa9059cbb" ] } ],
              "maxGasPerTx": 200000, "defaultGasPerTx": 60000,
              "rate": { "burst": { "count": 3, "periodSeconds": 3600 } },
              "dailyGasBudget": 100000000, "dailyTxQuota": 1000 },
            { "name": "quota-app", "provider": "quota",
              "allowedContracts": [ { "address": "0x1111111111111111111111111111111111111111" } ],
              "maxGasPerTx": 200000, "defaultGasPerTx": 60000,
              "rate": { "burst": { "count": 100, "periodSeconds": 1 } },
              "dailyGasBudget": 100000000, "dailyTxQuota": 2 },
            { "name": "open", "provider": "*",
              "allowedContracts": [ { "address": "*" } ],
              "maxGasPerTx": 200000, "defaultGasPerTx": 60000,
              "rate": { "burst": { "count": 1000, "periodSeconds": 1 } },
              "dailyGasBudget": 1000000000, "dailyTxQuota": 100000 }
          ],
          "globalDailySponsoredGas": 100000000000,
          "blocked": [ "dev:blocked" ],
          "paid": { "perSender": { "burst": { "count": 2, "periodSeconds": 3600 } } }
        }
        """;

    private readonly string[] _settings;

    public AdmissionSequencerHost(params string[] settings)
        : this(PolicyJson, settings)
    {
    }

    /// <summary>A host under another policy (<paramref name="policyJson"/>).</summary>
    protected AdmissionSequencerHost(string policyJson, string[] settings)
    {
        Directory.CreateDirectory(DataDirectory);
        var policyFile = Path.Combine(DataDirectory, "test-policy.json");
        File.WriteAllText(policyFile, policyJson);
        _settings = [$"--Admission:PolicyFile={policyFile}", "--Admission:AdminApiKey=test-admin-key-0123456789-abcdefghijklmnop", .. settings];
    }

    protected override IEnumerable<string> Settings => _settings;

    protected override void ConfigureServices(IServiceCollection services)
    {
        services.RemoveAll<IIdentityAuthenticator>();
        services.AddSingleton<IIdentityAuthenticator, HeaderIdentityAuthenticator>();
    }

    /// <summary>Calls a method as <paramref name="identity"/> ("provider|subject|claims"), or anonymously when null.</summary>
    public Task<RpcResponse> CallAsAsync(string? identity, string method, params object?[] parameters) =>
        TestIdentityRpc.CallAsAsync(RpcUrl, identity, method, parameters);

    public Task<RpcResponse> SendSponsoredAsync(string? identity, string to = Token, string data = TransferSelector, string? gas = null)
    {
        var call = new Dictionary<string, string> { ["to"] = to, ["data"] = data };
        if (gas is not null)
        {
            call["gas"] = gas;
        }

        return CallAsAsync(identity, "sequencer_sendSponsoredTransaction", call);
    }

    /// <summary>Calls until <paramref name="done"/> holds for the reply (e.g. the hosts noticed Redis is back); fails after 30 s with the last reply.</summary>
    public static Task<RpcResponse> UntilAsync(Func<Task<RpcResponse>> call, Func<RpcResponse, bool> done) =>
        Eventually.UntilAsync(call, done, TimeSpan.FromSeconds(30), reply => $"last reply: {reply}");
}

/// <summary>The admission host as an xunit class fixture.</summary>
public sealed class AdmissionHostFixture : AdmissionSequencerHost;
