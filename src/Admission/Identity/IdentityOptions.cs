using System.ComponentModel.DataAnnotations;

namespace Admission.Identity;

/// <summary>The "Admission:Identity" section: who may log in and how tokens are checked.</summary>
public sealed class IdentityOptions
{
    public const string Section = "Admission:Identity";

    /// <summary>Login and token providers by name (the name is the {provider} in /auth/login/{provider}).</summary>
    public Dictionary<string, IdentityProviderOptions> Providers { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    [Required]
    public DevIdentityProviderOptions DevProvider { get; set; } = new();

    [Required]
    public SessionOptions Session { get; set; } = new();

    /// <summary>Claims copied from a provider into the identity for policies; everything else is dropped. Empty: <see cref="DefaultKeptClaims"/>.</summary>
    // Lists start empty: the configuration binder appends to a list, so defaults in the initializer could never be narrowed.
    public List<string> KeptClaims { get; set; } = [];

    public static IReadOnlyList<string> DefaultKeptClaims { get; } = ["verified", "email_verified", "created_at", "followers_count", "role", "name"];

    public IReadOnlyList<string> EffectiveKeptClaims => KeptClaims.Count > 0 ? KeptClaims : DefaultKeptClaims;
}

/// <summary>The login session cookie.</summary>
public sealed class SessionOptions
{
    [Required]
    public string CookieName { get; set; } = "sequencer.session";

    [Range(1, 10_080)]
    public int LifetimeMinutes { get; set; } = 480;
}

/// <summary>The built-in dev identity provider (a login form issuing signed ID tokens).</summary>
public sealed class DevIdentityProviderOptions
{
    /// <summary>On, off, or empty: on only when the host environment is Development.</summary>
    public bool? Enabled { get; set; }

    /// <summary>The "iss" of the tokens it issues; also their audience is <see cref="ClientId"/>.</summary>
    [Required]
    public string Issuer { get; set; } = "urn:sequencer:dev-identity";

    [Required]
    public string ClientId { get; set; } = "sequencer-dev";

    [Range(1, 1440)]
    public int TokenLifetimeMinutes { get; set; } = 60;
}
