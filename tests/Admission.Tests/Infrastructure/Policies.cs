using Admission.Policy;

namespace Admission.Tests.Infrastructure;

/// <summary>Policies for tests, written as JSON the way operators write them.</summary>
internal static class Policies
{
    public const string Token = "0x1111111111111111111111111111111111111111";
    public const string Transfer = "0xa9059cbb";

    public static string Json(
        long version = 1,
        int burst = 3,
        int burstSeconds = 10,
        int sustained = 100,
        int sustainedSeconds = 3600,
        long dailyTxQuota = 1000,
        long dailyGasBudget = 100_000_000,
        long globalGas = 1_000_000_000,
        string blocked = "",
        string extraRule = "",
        string paid = "") => $$"""
        {
          "version": {{version}},
          "rules": [
            {
              "name": "app",
              "provider": "dev",
              "allowedContracts": [ { "address": "{{Token}}", "selectors": [ "{{Transfer}}" ] } ],
              "maxGasPerTx": 200000,
              "defaultGasPerTx": 100000,
              "maxValuePerTxWei": "0",
              "rate": {
                "burst": { "count": {{burst}}, "periodSeconds": {{burstSeconds}} },
                "sustained": { "count": {{sustained}}, "periodSeconds": {{sustainedSeconds}} }
              },
              "dailyGasBudget": {{dailyGasBudget}},
              "dailyTxQuota": {{dailyTxQuota}}{{extraRule}}
            }
          ],
          "globalDailySponsoredGas": {{globalGas}},
          "blocked": [{{blocked}}]{{paid}}
        }
        """;

    public static AdmissionPolicy Parse(string json) =>
        PolicyParser.TryParse(json, out var policy, out var errors) ? policy! : throw new InvalidOperationException(string.Join("; ", errors));

    public static byte[] TransferData() => Convert.FromHexString("a9059cbb" + new string('0', 128));
}
