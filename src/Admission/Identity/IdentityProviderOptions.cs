namespace Admission.Identity;

/// <summary>One entry of "Admission:Identity:Providers".</summary>
internal sealed class IdentityProviderOptions
{
    public IdentityProviderKind Kind { get; set; } = IdentityProviderKind.Oidc;

    /// <summary>Shown on the login button.</summary>
    public string? DisplayName { get; set; }

    /// <summary>OIDC: the issuer URL; its /.well-known/openid-configuration is fetched from here.</summary>
    public string? Authority { get; set; }

    /// <summary>OIDC: where to fetch the discovery document if not under <see cref="Authority"/>.</summary>
    public string? MetadataAddress { get; set; }

    /// <summary>OAuth: the canonical name of the provider for identities (e.g. "https://x.com"); defaults to the authorization endpoint's origin.</summary>
    public string? Issuer { get; set; }

    public string? ClientId { get; set; }

    /// <summary>The client secret. Prefer <see cref="ClientSecretFile"/>; neither is ever logged.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>A file whose (trimmed) content is the client secret.</summary>
    public string? ClientSecretFile { get; set; }

    public List<string> Scopes { get; set; } = [];

    /// <summary>Accepted "aud" values of Bearer tokens; defaults to the client id.</summary>
    public List<string> Audiences { get; set; } = [];

    /// <summary>Signature algorithms accepted on ID tokens; empty: <see cref="DefaultAlgorithms"/>. "none" is never accepted.</summary>
    // Starts empty: the configuration binder appends to a list, so a default here could never be narrowed.
    public List<string> AllowedAlgorithms { get; set; } = [];

    public static IReadOnlyList<string> DefaultAlgorithms { get; } = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512"];

    /// <summary>The algorithms in force, never "none".</summary>
    public string[] EffectiveAlgorithms =>
        (AllowedAlgorithms.Count > 0 ? AllowedAlgorithms : DefaultAlgorithms).Where(alg => !string.Equals(alg, "none", StringComparison.OrdinalIgnoreCase)).ToArray();

    /// <summary>OIDC: also accept this provider's ID tokens as Bearer tokens (API clients, the user page).</summary>
    public bool AcceptBearerTokens { get; set; } = true;

    /// <summary>OIDC: discovery and JWKS over plain http (only for loopback test providers).</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>Least seconds between JWKS refreshes forced by an unknown "kid" (an attacker cannot make us hammer the provider).</summary>
    public int KeyRefreshMinSeconds { get; set; } = 300;

    /// <summary>Clock skew allowed on exp/nbf.</summary>
    public int ClockSkewSeconds { get; set; } = 60;

    /// <summary>OAuth endpoints.</summary>
    public string? AuthorizationEndpoint { get; set; }

    public string? TokenEndpoint { get; set; }

    public string? UserInformationEndpoint { get; set; }

    /// <summary>OAuth: how the client authenticates at the token endpoint: "client_secret_post" or "client_secret_basic" (X).</summary>
    public string TokenEndpointAuthMethod { get; set; } = "client_secret_post";

    /// <summary>
    /// OAuth: claim name → dotted path into the user-info JSON ("sub" is required), e.g. for X
    /// { "sub": "data.id", "followers_count": "data.public_metrics.followers_count" }.
    /// </summary>
    public Dictionary<string, string> UserInfoClaims { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// The issuer every identity of this provider carries: OIDC, <see cref="Issuer"/> or else the
    /// <see cref="Authority"/>; OAuth, <see cref="Issuer"/> or else the authorization endpoint's origin.
    /// </summary>
    public string ExpectedIssuer => Issuer ?? (Kind == IdentityProviderKind.Oidc
        ? Authority ?? ""
        : Uri.TryCreate(AuthorizationEndpoint, UriKind.Absolute, out var endpoint) ? endpoint.GetLeftPart(UriPartial.Authority) : "");
}
