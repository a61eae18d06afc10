namespace Admission.Identity;

/// <summary>
/// Who is asking: an authenticated person, known by the issuer (or OAuth provider) that vouched
/// for them and their subject there. Claims are the provider's facts a policy may use
/// ("verified", "created_at", "followers_count", "role", ...), as strings.
/// </summary>
/// <param name="Provider">Configured provider name (e.g. "dev", "google", "x", "facebook").</param>
/// <param name="Issuer">The token issuer or OAuth provider's canonical URL.</param>
/// <param name="Subject">The provider's stable user id.</param>
/// <param name="Claims">Facts the provider gave about the person.</param>
public sealed record AdmissionIdentity(
    string Provider,
    string Issuer,
    string Subject,
    IReadOnlyDictionary<string, string> Claims)
{
    /// <summary>Stable key for limits, usage and blocking: provider and subject.</summary>
    public string Key => Provider + ":" + Subject;
}
