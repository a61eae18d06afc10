using Microsoft.Extensions.Options;

namespace Admission.Hosting;

/// <summary>Checks that the settings fit together, so a bad deployment fails at start with a clear message.</summary>
internal sealed class AdmissionOptionsValidator : IValidateOptions<AdmissionOptions>
{
    public ValidateOptionsResult Validate(string? name, AdmissionOptions options)
    {
        var failures = new List<string>();
        if (options.Store == AdmissionStoreKind.Redis && string.IsNullOrWhiteSpace(options.RedisConfiguration))
        {
            failures.Add("Admission:RedisConfiguration is required when Admission:Store is Redis");
        }

        if (string.IsNullOrWhiteSpace(options.MasterSecret) && string.IsNullOrWhiteSpace(options.MasterSecretFile) && !options.GenerateDevMasterSecret)
        {
            failures.Add("Admission needs a master secret: set Admission:MasterSecretFile (or MasterSecret, or GenerateDevMasterSecret for development)");
        }

        if (!string.IsNullOrWhiteSpace(options.MasterSecretFile) && !File.Exists(options.MasterSecretFile))
        {
            failures.Add($"Admission:MasterSecretFile {options.MasterSecretFile} does not exist");
        }

        if (!string.IsNullOrWhiteSpace(options.AdminApiKeyFile) && !File.Exists(options.AdminApiKeyFile))
        {
            failures.Add($"Admission:AdminApiKeyFile {options.AdminApiKeyFile} does not exist");
        }
        else if (SecretKeyRules.ReadAdminApiKey(options) is { Length: > 0 } key && SecretKeyRules.Weakness(key) is { } weakness)
        {
            failures.Add((string.IsNullOrEmpty(options.AdminApiKey) ? "the key in Admission:AdminApiKeyFile " : "Admission:AdminApiKey ") + weakness);
        }

        if (options.AdminKeyMaxFailures < 1 || options.AdminKeyFailurePeriodSeconds < 1)
        {
            failures.Add("Admission:AdminKeyMaxFailures and Admission:AdminKeyFailurePeriodSeconds must be at least 1");
        }

        if (!string.IsNullOrWhiteSpace(options.PolicyFile) && !File.Exists(options.PolicyFile))
        {
            failures.Add($"Admission:PolicyFile {options.PolicyFile} does not exist");
        }

        if (string.IsNullOrWhiteSpace(options.OperatorRoleClaim) || string.IsNullOrWhiteSpace(options.OperatorRole))
        {
            failures.Add("Admission:OperatorRoleClaim and Admission:OperatorRole must not be empty");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
