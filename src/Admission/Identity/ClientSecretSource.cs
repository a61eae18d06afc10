namespace Admission.Identity;

/// <summary>Reads a provider's client secret from its file or from configuration.</summary>
internal static class ClientSecretSource
{
    public static string? Read(IdentityProviderOptions provider)
    {
        if (!string.IsNullOrWhiteSpace(provider.ClientSecretFile))
        {
            // A mounted secret file (Kubernetes, Docker secrets) wins over configuration.
            return File.ReadAllText(provider.ClientSecretFile).Trim();
        }

        return string.IsNullOrWhiteSpace(provider.ClientSecret) ? null : provider.ClientSecret;
    }
}
