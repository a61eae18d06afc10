using Microsoft.AspNetCore.Authentication.OAuth;

namespace Admission.Identity;

/// <summary>The generic OAuth 2.0 handler's options plus what a provider without OIDC needs.</summary>
internal sealed class ProviderOAuthOptions : OAuthOptions
{
    public string ProviderName { get; set; } = "";

    /// <summary>Canonical issuer name recorded in identities of this provider.</summary>
    public string Issuer { get; set; } = "";

    public string TokenEndpointAuthMethod { get; set; } = "client_secret_post";

    public Dictionary<string, string> UserInfoClaims { get; set; } = new(StringComparer.Ordinal);

    public IReadOnlyCollection<string> KeptClaims { get; set; } = [];
}
