namespace TestInfrastructure.Oidc;

/// <summary>A client registered at the test OIDC provider. Redirect URIs are loopback, so any port matches (RFC 8252).</summary>
public sealed record OidcTestClient(string ClientId, string ClientSecret, string TokenEndpointAuthMethod, IReadOnlyList<string> RedirectPaths)
{
    /// <summary>The sequencer as an OpenID Connect relying party (login provider "test-oidc").</summary>
    public static OidcTestClient Sequencer { get; } = new("sequencer", "sequencer-test-secret", "client_secret_post", ["/auth/callback/test-oidc", "/callback"]);

    /// <summary>The sequencer as a plain OAuth client in X's style: Basic client authentication.</summary>
    public static OidcTestClient XStyle { get; } = new("sequencer-x", "sequencer-x-test-secret", "client_secret_basic", ["/auth/callback/x"]);

    /// <summary>The sequencer as a plain OAuth client in Facebook's style: secret in the form body.</summary>
    public static OidcTestClient FacebookStyle { get; } = new("sequencer-facebook", "sequencer-facebook-test-secret", "client_secret_post", ["/auth/callback/facebook"]);

    public static IReadOnlyList<OidcTestClient> All { get; } = [Sequencer, XStyle, FacebookStyle];
}
