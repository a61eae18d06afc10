namespace Primitives.Secrets;

/// <summary>
/// A secret configured either inline (a setting holding the hex) or as a file (a setting holding its
/// path), as every key of the host is. Parsing goes through <see cref="SecretHex"/>; errors name the
/// setting only.
/// </summary>
public static class SecretSource
{
    /// <summary>
    /// The inline value when set, else the file's content when a file is set, else null. The caller owns
    /// (and should clear) the returned bytes.
    /// </summary>
    /// <param name="value">The inline hex, e.g. <c>Sequencer:PrivateKey</c>.</param>
    /// <param name="valueSetting">Its configuration key.</param>
    /// <param name="file">The file path, e.g. <c>Sequencer:KeyFile</c>.</param>
    /// <param name="fileSetting">Its configuration key.</param>
    /// <param name="shape">What the secret must decode to.</param>
    /// <param name="baseDirectory">Where a relative <paramref name="file"/> is; null: the current directory.</param>
    /// <exception cref="SecretSettingException">The secret is malformed or its file cannot be read.</exception>
    public static byte[]? Load(string? value, string valueSetting, string? file, string fileSetting, SecretShape shape, string? baseDirectory = null)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            return SecretHex.Parse(value, valueSetting, shape);
        }

        return string.IsNullOrWhiteSpace(file) ? null : ReadFile(file, fileSetting, shape, baseDirectory);
    }

    /// <summary>Reads and parses a secret file.</summary>
    /// <exception cref="SecretSettingException">The file is missing, unreadable or does not hold such a secret.</exception>
    public static byte[] ReadFile(string path, string setting, SecretShape shape, string? baseDirectory = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = baseDirectory is null || Path.IsPathRooted(path) ? path : Path.Combine(baseDirectory, path);
        string text;
        try
        {
            text = File.ReadAllText(full);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Only the kind of failure is told; the exception's own text is not copied anywhere.
            var why = e is FileNotFoundException or DirectoryNotFoundException ? "the file does not exist" : $"the file cannot be read ({e.GetType().Name})";
            throw new SecretSettingException(setting, $"{setting}: {why}");
        }

        return SecretHex.Parse(text, setting, shape);
    }
}
