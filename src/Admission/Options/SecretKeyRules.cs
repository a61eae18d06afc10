namespace Admission.Options;

/// <summary>
/// What makes a shared secret (the admin API key, the metrics token) strong enough, and where the
/// admin API key is configured (<c>AdminApiKey</c>, else the trimmed content of <c>AdminApiKeyFile</c>).
/// </summary>
public static class SecretKeyRules
{
    public const int MinLength = 32;

    // A 32-character key from a random generator has far more distinct characters than this; a key
    // below it ("aaaa…", a repeated word) is a pattern, not a secret.
    public const int MinDistinctCharacters = 10;

    public static string ReadAdminApiKey(AdmissionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!string.IsNullOrEmpty(options.AdminApiKey))
        {
            return options.AdminApiKey;
        }

        return !string.IsNullOrWhiteSpace(options.AdminApiKeyFile) && File.Exists(options.AdminApiKeyFile)
            ? File.ReadAllText(options.AdminApiKeyFile).Trim()
            : "";
    }

    /// <summary>Null for an acceptable key, else what is wrong with it (never the key itself).</summary>
    public static string? Weakness(string key)
    {
        if (key.Length < MinLength)
        {
            return $"must be at least {MinLength} random characters, got {key.Length} (generate one with: openssl rand -hex 32)";
        }

        foreach (var c in key)
        {
            if (c is < '!' or > '~')
            {
                return "must be printable ASCII without spaces (generate one with: openssl rand -hex 32)";
            }
        }

        return key.Distinct().Count() < MinDistinctCharacters
            ? $"must be random: it has fewer than {MinDistinctCharacters} different characters (generate one with: openssl rand -hex 32)"
            : null;
    }
}
