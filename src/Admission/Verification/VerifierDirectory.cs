using System.Collections.Frozen;
using Admission.Options;
using Admission.Policy;

namespace Admission.Verification;

/// <summary>
/// The verifiers configured on this host (<c>Admission:Verifiers</c>), by name. A policy that names a verifier
/// missing here is refused where a person submits it (the policy file at start, an operator's edit); a policy
/// that arrives otherwise (from another replica through Redis) still works, and its calls under such a rule fail
/// closed, as a verifier that does not answer.
/// </summary>
internal sealed class VerifierDirectory
{
    private readonly FrozenDictionary<string, VerifierEndpoint> _endpoints;

    public VerifierDirectory(AdmissionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var endpoints = new Dictionary<string, VerifierEndpoint>(StringComparer.Ordinal);
        foreach (var (name, verifier) in options.Verifiers)
        {
            endpoints[name] = VerifierEndpoint.From(name, verifier);
        }

        _endpoints = endpoints.ToFrozenDictionary(StringComparer.Ordinal);
    }

    public VerifierEndpoint? Find(string name) => _endpoints.GetValueOrDefault(name);

    /// <summary>Every rule of <paramref name="policy"/> that names a verifier not configured here, at its JSON path.</summary>
    public List<PolicyError> Unknown(AdmissionPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var errors = new List<PolicyError>();
        for (var i = 0; i < policy.Rules.Count; i++)
        {
            if (policy.Rules[i].Verifier is { } name && !_endpoints.ContainsKey(name))
            {
                errors.Add(new($"$.rules[{i}].verifier", $"\"{name}\" is not configured on this host (Admission:Verifiers:{name}); configured: "
                    + (_endpoints.Count == 0 ? "none" : string.Join(", ", _endpoints.Keys.Order(StringComparer.Ordinal)))));
            }
        }

        return errors;
    }
}
