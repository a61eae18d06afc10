using Admission.Options;
using Admission.Policy;
using Admission.Verification;
using Microsoft.Extensions.Hosting;

namespace Admission.Hosting;

/// <summary>Loads the stored policy (and starts following changes) before the host takes requests.</summary>
internal sealed class AdmissionStartup(ConfiguredPolicy configured, PolicyHolder holder, IPolicyStore store) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => store.StartAsync(configured.Policy, holder, cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>The policy from configuration (Admission:PolicyFile or the built-in default), before any stored edits.</summary>
internal sealed record ConfiguredPolicy(AdmissionPolicy Policy)
{
    public static ConfiguredPolicy Load(AdmissionOptions options, VerifierDirectory verifiers)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(verifiers);
        if (string.IsNullOrWhiteSpace(options.PolicyFile))
        {
            return new ConfiguredPolicy(DefaultPolicy.Load());
        }

        return PolicyParser.TryParse(File.ReadAllText(options.PolicyFile), out var policy, out var errors)
            && (errors = verifiers.Unknown(policy!)).Count == 0
            ? new ConfiguredPolicy(policy!)
            : throw new InvalidOperationException($"Admission:PolicyFile {options.PolicyFile} is not a valid policy: {string.Join("; ", errors)}");
    }
}
