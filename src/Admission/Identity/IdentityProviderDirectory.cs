namespace Admission.Identity;

/// <summary>The providers a person can log in with, for the login route and the login buttons.</summary>
public sealed class IdentityProviderDirectory
{
    private readonly Dictionary<string, string> _displayNames = new(StringComparer.Ordinal);

    public IdentityProviderDirectory(IdentityOptions options, bool devProvider)
    {
        foreach (var (name, provider) in options.Providers)
        {
            if (provider.Kind == IdentityProviderKind.OAuth || !string.IsNullOrEmpty(provider.ClientId))
            {
                _displayNames[name] = provider.DisplayName ?? name;
            }
        }

        if (devProvider)
        {
            _displayNames[IdentitySchemes.DevProvider] = "the dev provider (development only)";
        }
    }

    public IReadOnlyDictionary<string, string> LoginProviders => _displayNames;

    public bool CanLogIn(string provider) => _displayNames.ContainsKey(provider);
}
