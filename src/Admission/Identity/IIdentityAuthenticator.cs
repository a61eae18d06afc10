using Microsoft.AspNetCore.Http;

namespace Admission.Identity;

/// <summary>
/// Turns a request's credentials (a Bearer ID token / JWT, or the login session cookie) into an
/// identity. The sponsored-transaction path and the user page depend only on this.
/// </summary>
public interface IIdentityAuthenticator
{
    /// <summary>
    /// The caller's identity, or a failure that says why (no credentials, bad signature,
    /// wrong issuer or audience, expired, ...). Never throws for a client's bad token.
    /// </summary>
    ValueTask<IdentityResult> AuthenticateAsync(HttpContext context);
}

/// <summary>Either an identity or the reason there is none.</summary>
/// <param name="Identity">The caller, when authenticated.</param>
/// <param name="Failure">Why there is no identity.</param>
/// <param name="Forbidden">Credentials were presented but may not be used for this request (a session cookie on a cross-origin write): HTTP 403, not 401.</param>
public readonly record struct IdentityResult(AdmissionIdentity? Identity, string? Failure, bool Forbidden = false)
{
    public static IdentityResult Success(AdmissionIdentity identity) => new(identity, null);

    public static IdentityResult Fail(string reason) => new(null, reason);

    public static IdentityResult Refuse(string reason) => new(null, reason, Forbidden: true);
}
