namespace Admission.Identity;

/// <summary>How a provider proves who someone is.</summary>
internal enum IdentityProviderKind
{
    /// <summary>OpenID Connect: discovery document, JWKS, signed ID tokens (Google, Auth0, Keycloak, ...).</summary>
    Oidc,

    /// <summary>Plain OAuth 2.0 authorization code + PKCE, then the provider's user-info endpoint (X, Facebook).</summary>
    OAuth,
}
