namespace Primitives.Secrets;

/// <summary>
/// When a missing secret may be generated on the spot: only in the Development environment, and only
/// while its "generate" switch is not turned off. Anywhere else the host must refuse to start and say
/// which setting is missing, rather than sign with a key nobody configured.
/// </summary>
public static class DevelopmentSecrets
{
    /// <summary>Null when the secret may be generated here, else why not (naming the settings).</summary>
    /// <param name="generate">The switch, e.g. <c>Sequencer:GenerateDevKey</c>; null means "in Development".</param>
    /// <param name="generateSetting">Its configuration key.</param>
    /// <param name="isDevelopment">Whether the host runs in the Development environment.</param>
    /// <param name="missing">What to set instead, e.g. "no sequencer key: set Sequencer:KeyFile (or Sequencer:PrivateKey)".</param>
    public static string? WhyNotGenerated(bool? generate, string generateSetting, bool isDevelopment, string missing)
    {
        if (!isDevelopment)
        {
            return generate == true
                ? $"{missing}; {generateSetting} is true, but secrets are generated only in the Development environment"
                : $"{missing} (secrets are generated only in the Development environment)";
        }

        return generate == false ? $"{missing}, or leave {generateSetting} unset in Development" : null;
    }
}
