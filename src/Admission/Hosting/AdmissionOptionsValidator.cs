using Admission.Options;
using Admission.Accounts;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Admission.Hosting;

/// <summary>Checks that the settings fit together, so a bad deployment fails at start with a clear message.</summary>
internal sealed class AdmissionOptionsValidator(IHostEnvironment environment) : IValidateOptions<AdmissionOptions>
{
    public ValidateOptionsResult Validate(string? name, AdmissionOptions options)
    {
        var failures = new List<string>();
        if (options.Store == AdmissionStoreKind.Redis && string.IsNullOrWhiteSpace(options.RedisConfiguration))
        {
            failures.Add("Admission:RedisConfiguration is required when Admission:Store is Redis");
        }

        if (options.RedisTimeoutMs is < 10 or > 10_000)
        {
            failures.Add($"Admission:RedisTimeoutMs must be between 10 and 10000, got {options.RedisTimeoutMs}");
        }

        if (options.RedisBreakMs is < 500 or > 3_600_000)
        {
            failures.Add($"Admission:RedisBreakMs must be between 500 and 3600000, got {options.RedisBreakMs}");
        }

        if (string.IsNullOrWhiteSpace(options.MasterSecret) && string.IsNullOrWhiteSpace(options.MasterSecretFile)
            && MasterSecretLoader.WhyNotGenerated(options, environment.IsDevelopment()) is { } why)
        {
            failures.Add(why);
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

        if (options.SiweNonceSeconds is < 30 or > 3_600)
        {
            failures.Add($"Admission:SiweNonceSeconds must be between 30 and 3600, got {options.SiweNonceSeconds}");
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

        foreach (var (verifierName, verifier) in options.Verifiers)
        {
            failures.AddRange(Verification.VerifierEndpoint.Problems(verifierName, verifier));
        }

        // The spend alert webhook's URL: the same rule as a verifier's (https, or http to this machine).
        if (!string.IsNullOrWhiteSpace(options.SpendAlerts.WebhookUrl) && Verification.VerifierEndpoint.WhyNotUrl(options.SpendAlerts.WebhookUrl) is { } webhookProblem)
        {
            failures.Add("Admission:SpendAlerts:WebhookUrl " + webhookProblem);
        }

        if (options.SpendAlerts.TimeoutMs is < 10 or > 60_000)
        {
            failures.Add($"Admission:SpendAlerts:TimeoutMs must be between 10 and 60000, got {options.SpendAlerts.TimeoutMs}");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
