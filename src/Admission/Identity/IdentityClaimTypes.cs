namespace Admission.Identity;

/// <summary>Claim names of the normalized identity principal (JWT names, not the SOAP-era URIs).</summary>
internal static class IdentityClaimTypes
{
    public const string Provider = "provider";
    public const string Issuer = "iss";
    public const string Subject = "sub";
    public const string AuthenticationType = "admission";

    /// <summary>The id of a login session (session cookies only), its record in the session store.</summary>
    public const string SessionId = "admission.session";

    /// <summary>When a login session ends at the latest (unix seconds), however often it is used.</summary>
    public const string SessionEnds = "admission.session_ends";
}
