using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Admission.Identity;

/// <summary>The "Admission:Identity" section: who may log in and how tokens are checked.</summary>
internal sealed class IdentityOptions
{
    public const string Section = "Admission:Identity";

    /// <summary>Login and token providers by name (the name is the {provider} in /auth/login/{provider}).</summary>
    public Dictionary<string, IdentityProviderOptions> Providers { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    [Required]
    [ValidateObjectMembers]
    public DevIdentityProviderOptions DevProvider { get; set; } = new();

    [Required]
    [ValidateObjectMembers]
    public SessionOptions Session { get; set; } = new();

    /// <summary>Claims copied from a provider into the identity for policies; everything else is dropped. Empty: <see cref="DefaultKeptClaims"/>.</summary>
    // Lists start empty: the configuration binder appends to a list, so defaults in the initializer could never be narrowed.
    public List<string> KeptClaims { get; set; } = [];

    public static IReadOnlyList<string> DefaultKeptClaims { get; } = ["verified", "email_verified", "created_at", "followers_count", "role", "name"];

    public IReadOnlyList<string> EffectiveKeptClaims => KeptClaims.Count > 0 ? KeptClaims : DefaultKeptClaims;
}

/// <summary>The login session cookie, where sessions are recorded, and the key ring that protects the cookie.</summary>
internal sealed class SessionOptions
{
    [Required]
    public string CookieName { get; set; } = "sequencer.session";

    /// <summary>Idle lifetime: a session unused this long ends; each use slides it.</summary>
    [Range(1, 10_080)]
    public int LifetimeMinutes { get; set; } = 480;

    /// <summary>Absolute lifetime of any session from its login, however often it is used.</summary>
    [Range(1, 43_200)]
    public int MaxLifetimeMinutes { get; set; } = 10_080;

    /// <summary>Absolute lifetime of an operator's session (one whose role claim holds the operator role).</summary>
    [Range(1, 43_200)]
    public int OperatorMaxLifetimeMinutes { get; set; } = 480;

    /// <summary>
    /// The name of this deployment. With the host environment it forms the Data Protection application
    /// name ("{Deployment}/{Environment}"), so cookies of another deployment or environment never
    /// decrypt here even when the key ring is shared.
    /// </summary>
    public string Deployment { get; set; } = "sequencer";

    /// <summary>
    /// Directory of the Data Protection key ring. Empty: in Redis when Admission:Store is Redis (replicas
    /// share sessions), else "data-protection-keys" in the admission data directory.
    /// </summary>
    public string? KeyRingDirectory { get; set; }
}

/// <summary>The built-in dev identity provider (a login form issuing signed ID tokens).</summary>
internal sealed class DevIdentityProviderOptions
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
