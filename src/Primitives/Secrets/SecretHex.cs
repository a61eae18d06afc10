using System.Security.Cryptography;
using Primitives.Crypto;

namespace Primitives.Secrets;

/// <summary>
/// The one parser for secrets given as hex in configuration: the sequencer key, the L1 poster key, the
/// disperser account key, the identity master secret and the Engine API JWT secret. Accepts hex digits with
/// an optional 0x prefix and surrounding whitespace, nothing else.
/// </summary>
/// <remarks>
/// Parsers of other libraries put the input into their exception text (Nethereum: "String '…' could not
/// be converted"), which then ends up in logs and status replies. Every error here is a
/// <see cref="SecretSettingException"/> that describes only the shape of what was found (length, quotes,
/// characters that are not hex digits) and names the setting.
/// </remarks>
public static class SecretHex
{
    /// <summary>Decodes <paramref name="text"/>; the caller owns (and should clear) the returned bytes.</summary>
    /// <param name="text">The setting's value or the file's content.</param>
    /// <param name="setting">The configuration key, e.g. <c>Sequencer:KeyFile</c>; the only thing errors name.</param>
    /// <param name="shape">What the secret must decode to.</param>
    /// <exception cref="SecretSettingException">The text is not a secret of that shape.</exception>
    public static byte[] Parse(ReadOnlySpan<char> text, string setting, SecretShape shape)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(setting);
        var trimmed = text.Trim();
        var hex = trimmed.Length >= 2 && trimmed[0] == '0' && (trimmed[1] == 'x' || trimmed[1] == 'X') ? trimmed[2..] : trimmed;
        if (Problem(trimmed, hex, shape) is { } problem)
        {
            throw new SecretSettingException(setting, $"{setting} does not hold {shape.Expected}: {problem}");
        }

        var bytes = Convert.FromHexString(hex);
        if (shape.IsPrivateKey && !Secp256k1Curve.IsPrivateKey(bytes))
        {
            CryptographicOperations.ZeroMemory(bytes);
            throw new SecretSettingException(setting, $"{setting} does not hold {shape.Expected}: the value is zero or not below the curve order");
        }

        return bytes;
    }

    // What is wrong, told without any of the characters: only counts and the kind of mistake.
    private static string? Problem(ReadOnlySpan<char> trimmed, ReadOnlySpan<char> hex, SecretShape shape)
    {
        if (trimmed.IsEmpty)
        {
            return "it is empty";
        }

        if (trimmed[0] is '"' or '\'' || trimmed[^1] is '"' or '\'')
        {
            return "it is wrapped in quotes; write the hex digits alone";
        }

        var notHex = 0;
        foreach (var c in hex)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                notHex++;
            }
        }

        if (notHex > 0)
        {
            return $"{notHex} of its {hex.Length} characters are not hex digits";
        }

        if (hex.Length % 2 != 0)
        {
            return $"it has an odd number of hex digits ({hex.Length})";
        }

        var length = hex.Length / 2;
        return length < shape.MinBytes || length > shape.MaxBytes ? $"it is {length} bytes long" : null;
    }
}
