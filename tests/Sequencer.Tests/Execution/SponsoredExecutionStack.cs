using Admission.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using TestInfrastructure.Identity;

namespace Sequencer.Tests.Execution;

/// <summary>
/// The execution stack with sponsored transactions on: a policy that sponsors calls to any contract
/// with generous limits, and the header test authenticator in place of token validation.
/// </summary>
public sealed class SponsoredExecutionStack : ExecutionStack
{
    public const string PolicyJson = """
        {
          "version": 1,
          "rules": [
            { "name": "any-contract", "provider": "*",
              "allowedContracts": [ { "address": "*" } ],
              "maxGasPerTx": 500000, "defaultGasPerTx": 100000,
              "rate": { "burst": { "count": 1000, "periodSeconds": 1 } },
              "dailyGasBudget": 1000000000, "dailyTxQuota": 100000 }
          ],
          "globalDailySponsoredGas": 100000000000
        }
        """;

    private readonly string _policyFile;

    public SponsoredExecutionStack()
    {
        Directory.CreateDirectory(Host.DataDirectory);
        _policyFile = Path.Combine(Host.DataDirectory, "test-policy.json");
        File.WriteAllText(_policyFile, PolicyJson);
        Host.ServiceChanges.Add(services =>
        {
            services.RemoveAll<IIdentityAuthenticator>();
            services.AddSingleton<IIdentityAuthenticator, HeaderIdentityAuthenticator>();
        });
    }

    protected override IEnumerable<string> MoreSettings => [$"--Admission:PolicyFile={_policyFile}"];
}
