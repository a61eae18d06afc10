using System.Security.Claims;

namespace Admission.Identity;

/// <summary>
/// One shape for every login path (Bearer token, OIDC login, OAuth login, dev login): provider,
/// issuer, subject and only the claims a policy may use, so the session cookie stays small and
/// nothing the provider sent by accident is kept.
/// </summary>
internal static class IdentityPrincipal
{
    public static ClaimsPrincipal Create(string provider, string issuer, string subject, IEnumerable<Claim> source, IReadOnlyCollection<string> keptClaims)
    {
        var identity = new ClaimsIdentity(IdentityClaimTypes.AuthenticationType, IdentityClaimTypes.Subject, "role");
        identity.AddClaim(new Claim(IdentityClaimTypes.Provider, provider));
        identity.AddClaim(new Claim(IdentityClaimTypes.Issuer, issuer));
        identity.AddClaim(new Claim(IdentityClaimTypes.Subject, subject));
        // A claim the provider sends several times (a JSON array such as "role": ["user", "operator"])
        // becomes one claim with the values joined by spaces: all of them, in the provider's order.
        var kept = new Dictionary<string, (List<string> Values, string ValueType)>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var claim in source)
        {
            if (!keptClaims.Contains(claim.Type) || claim.Type is IdentityClaimTypes.SessionId or IdentityClaimTypes.SessionEnds)
            {
                continue;
            }

            if (kept.TryGetValue(claim.Type, out var entry))
            {
                entry.Values.Add(claim.Value);
                continue;
            }

            kept[claim.Type] = ([claim.Value], claim.ValueType);
            order.Add(claim.Type);
        }

        foreach (var type in order)
        {
            var (values, valueType) = kept[type];
            identity.AddClaim(values.Count == 1
                ? new Claim(type, values[0], valueType)
                : new Claim(type, string.Join(' ', values), ClaimValueTypes.String));
        }

        return new ClaimsPrincipal(identity);
    }

    /// <summary>The identity a normalized principal stands for, or null if it is not one.</summary>
    public static AdmissionIdentity? ToIdentity(ClaimsPrincipal? principal)
    {
        var provider = principal?.FindFirst(IdentityClaimTypes.Provider)?.Value;
        var issuer = principal?.FindFirst(IdentityClaimTypes.Issuer)?.Value;
        var subject = principal?.FindFirst(IdentityClaimTypes.Subject)?.Value;
        if (string.IsNullOrEmpty(provider) || string.IsNullOrEmpty(issuer) || string.IsNullOrEmpty(subject))
        {
            return null;
        }

        var claims = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var claim in principal!.Claims)
        {
            if (claim.Type is not (IdentityClaimTypes.Provider or IdentityClaimTypes.Issuer or IdentityClaimTypes.Subject
                or IdentityClaimTypes.SessionId or IdentityClaimTypes.SessionEnds))
            {
                claims.TryAdd(claim.Type, claim.Value);
            }
        }

        return new AdmissionIdentity(provider, issuer, subject, claims);
    }
}
