using Admission.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using TestInfrastructure.Identity;

namespace Sequencer.Tests.Execution;

/// <summary>
/// The execution stack with sponsored transactions on: a policy (by default one that sponsors calls to any contract
/// with generous limits), and the header test authenticator in place of token validation.
/// </summary>
public class SponsoredExecutionStack : ExecutionStack
{
    /// <summary>The default policy: generous daily gas and transaction limits.</summary>
    public static readonly string PolicyJson = PolicyWith(
        ruleLimits: "\"dailyGasBudget\": 1000000000, \"dailyTxQuota\": 100000",
        globalLimits: "\"globalDailySponsoredGas\": 100000000000");

    /// <summary>A policy sponsoring calls to any contract (gas up to 500,000, 1,000 a second) with these daily limits.</summary>
    /// <param name="ruleLimits">The rule's limit fields, e.g. <c>"dailySpendCapWei": "5"</c>.</param>
    /// <param name="globalLimits">The policy's global fields, e.g. <c>"globalDailySponsoredGas": 100</c>.</param>
    public static string PolicyWith(string ruleLimits, string globalLimits) => $$"""
        {
          "version": 1,
          "rules": [
            { "name": "any-contract", "provider": "*",
              "allowedContracts": [ { "address": "*" } ],
              "maxGasPerTx": 500000, "defaultGasPerTx": 100000,
              "rate": { "burst": { "count": 1000, "periodSeconds": 1 } },
              {{ruleLimits}} }
          ],
          {{globalLimits}}
        }
        """;

    private readonly string _policyFile;
    private readonly string[] _moreSettings;

    public SponsoredExecutionStack()
        : this(PolicyJson)
    {
    }

    /// <summary>A stack with <paramref name="policyJson"/> as its admission policy and <paramref name="moreSettings"/> for the host.</summary>
    protected SponsoredExecutionStack(string policyJson, params string[] moreSettings)
    {
        _moreSettings = moreSettings;
        Directory.CreateDirectory(Host.DataDirectory);
        _policyFile = Path.Combine(Host.DataDirectory, "test-policy.json");
        File.WriteAllText(_policyFile, policyJson);
        Host.ServiceChanges.Add(services =>
        {
            services.RemoveAll<IIdentityAuthenticator>();
            services.AddSingleton<IIdentityAuthenticator, HeaderIdentityAuthenticator>();
        });
    }

    protected override IEnumerable<string> MoreSettings => [$"--Admission:PolicyFile={_policyFile}", .. _moreSettings];
}
