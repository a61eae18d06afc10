namespace Admission.Identity;

/// <summary>Claim names of the normalized identity principal (JWT names, not the SOAP-era URIs).</summary>
public static class IdentityClaimTypes
{
    public const string Provider = "provider";
    public const string Issuer = "iss";
    public const string Subject = "sub";
    public const string AuthenticationType = "admission";
}
