namespace Primitives.Secrets;

/// <summary>
/// A secret setting is missing or malformed. The message names the setting and what is wrong with it,
/// never its value or any part of it, so it may be shown in logs, status replies and start-up errors.
/// </summary>
public sealed class SecretSettingException(string setting, string message) : InvalidOperationException(message)
{
    /// <summary>The configuration key at fault, e.g. <c>Batcher:L1:KeyFile</c>.</summary>
    public string Setting { get; } = setting;
}
