namespace Admission.Identity;

/// <summary>
/// The providers a person can log in with on this host, for the login route, the login buttons and
/// the session check: a session is honoured only for a provider listed here and its issuer.
/// </summary>
internal sealed class IdentityProviderDirectory
{
    private readonly Dictionary<string, string> _displayNames = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _issuers = new(StringComparer.Ordinal);

    public IdentityProviderDirectory(IdentityOptions options, bool devProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        foreach (var (name, provider) in options.Providers)
        {
            if (provider.Kind == IdentityProviderKind.OAuth || !string.IsNullOrEmpty(provider.ClientId))
            {
                _displayNames[name] = provider.DisplayName ?? name;
                _issuers[name] = provider.ExpectedIssuer;
            }
        }

        if (devProvider)
        {
            _displayNames[IdentitySchemes.DevProvider] = "the dev provider (development only)";
            _issuers[IdentitySchemes.DevProvider] = options.DevProvider.Issuer;
        }
    }

    public IReadOnlyDictionary<string, string> LoginProviders => _displayNames;

    public bool CanLogIn(string provider) => _displayNames.ContainsKey(provider);

    /// <summary>Whether logins through <paramref name="provider"/> are enabled here and vouched for by <paramref name="issuer"/>.</summary>
    public bool Accepts(string provider, string issuer) =>
        _issuers.TryGetValue(provider, out var expected) && string.Equals(expected.TrimEnd('/'), issuer.TrimEnd('/'), StringComparison.Ordinal);
}
