using System.Globalization;
using System.Text;
using Primitives;

namespace Admission.People.Siwe;

/// <summary>
/// A Sign-In with Ethereum message (EIP-4361), parsed strictly line by line as the EIP's ABNF lays it out.
/// Written here because no maintained .NET package for it is available to this project (Nethereum.Siwe is not among
/// the packages it may use); the parser is small and keeps only what the checks need.
/// </summary>
internal sealed record SiweMessage(
    string Domain,
    Address Address,
    string? Statement,
    string Uri,
    string Version,
    ulong ChainId,
    string Nonce,
    DateTimeOffset IssuedAt,
    DateTimeOffset? ExpirationTime,
    DateTimeOffset? NotBefore,
    string Text)
{
    private const string Preamble = " wants you to sign in with your Ethereum account:";
    private const int MaxLength = 4096;

    public static bool TryParse(string text, out SiweMessage? message, out string? error)
    {
        message = null;
        if (text.Length is 0 or > MaxLength)
        {
            error = $"the message must be 1 to {MaxLength} characters";
            return false;
        }

        var lines = text.Split('\n');
        var i = 0;
        string Next() => i < lines.Length ? lines[i++] : "\u0000";

        var first = Next();
        if (!first.EndsWith(Preamble, StringComparison.Ordinal) || first.Length == Preamble.Length)
        {
            return Fail("the first line must be \"<domain> wants you to sign in with your Ethereum account:\"", out error);
        }

        var domain = first[..^Preamble.Length];
        if (domain.Contains("://", StringComparison.Ordinal))
        {
            domain = domain[(domain.IndexOf("://", StringComparison.Ordinal) + 3)..];
        }

        var addressText = Next();
        if (!Address.TryParse(addressText, out var address) || !IsChecksummed(addressText))
        {
            return Fail("the second line must be the address in EIP-55 checksum form", out error);
        }

        // The EIP's ABNF puts one empty line, an optional statement line, and another empty line between the address and
        // "URI: "; libraries differ in the empty lines they write when there is no statement, so any number is accepted.
        string? statement = null;
        while (i < lines.Length && lines[i].Length == 0)
        {
            i++;
        }

        if (i < lines.Length && !lines[i].StartsWith("URI: ", StringComparison.Ordinal))
        {
            statement = lines[i++];
            if (statement.StartsWith("URI:", StringComparison.Ordinal) || i >= lines.Length || lines[i].Length != 0)
            {
                return Fail("an empty line must follow the statement (one line) and precede \"URI: \"", out error);
            }

            while (i < lines.Length && lines[i].Length == 0)
            {
                i++;
            }
        }

        string line;
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        string[] order = ["URI", "Version", "Chain ID", "Nonce", "Issued At", "Expiration Time", "Not Before", "Request ID", "Resources"];
        var at = 0;
        while (i < lines.Length)
        {
            line = Next();
            if (line.Length == 0 && i == lines.Length)
            {
                break;
            }

            var colon = line.IndexOf(": ", StringComparison.Ordinal);
            var name = line == "Resources:" ? "Resources" : colon < 0 ? line : line[..colon];
            var index = Array.IndexOf(order, name, at);
            if (index < 0)
            {
                return Fail($"unexpected line \"{Shorten(line)}\" (fields must come in the EIP-4361 order)", out error);
            }

            at = index + 1;
            if (name == "Resources")
            {
                // Resource lines ("- URI") are allowed and not used.
                while (i < lines.Length && lines[i].StartsWith("- ", StringComparison.Ordinal))
                {
                    i++;
                }

                continue;
            }

            fields[name] = line[(colon + 2)..];
        }

        foreach (var required in new[] { "URI", "Version", "Chain ID", "Nonce", "Issued At" })
        {
            if (!fields.ContainsKey(required))
            {
                return Fail($"the \"{required}\" field is missing", out error);
            }
        }

        if (fields["Version"] != "1")
        {
            return Fail("Version must be 1", out error);
        }

        if (!ulong.TryParse(fields["Chain ID"], NumberStyles.None, CultureInfo.InvariantCulture, out var chainId))
        {
            return Fail("Chain ID must be a decimal number", out error);
        }

        var nonce = fields["Nonce"];
        if (nonce.Length < 8 || !nonce.All(char.IsAsciiLetterOrDigit))
        {
            return Fail("Nonce must be at least 8 letters and digits", out error);
        }

        if (!TryTime(fields["Issued At"], out var issuedAt))
        {
            return Fail("Issued At must be an RFC 3339 date-time", out error);
        }

        DateTimeOffset? expires = null, notBefore = null;
        if (fields.TryGetValue("Expiration Time", out var e))
        {
            if (!TryTime(e, out var value))
            {
                return Fail("Expiration Time must be an RFC 3339 date-time", out error);
            }

            expires = value;
        }

        if (fields.TryGetValue("Not Before", out var n))
        {
            if (!TryTime(n, out var value))
            {
                return Fail("Not Before must be an RFC 3339 date-time", out error);
            }

            notBefore = value;
        }

        message = new SiweMessage(domain, address, statement, fields["URI"], "1", chainId, nonce, issuedAt, expires, notBefore, text);
        error = null;
        return true;
    }

    /// <summary>EIP-55: the hex letters' case spells the Keccak-256 of the lower-case address.</summary>
    internal static bool IsChecksummed(string text)
    {
        if (text.Length != 42 || !text.StartsWith("0x", StringComparison.Ordinal))
        {
            return false;
        }

        var hex = text[2..];
        var digest = Keccak.Hash(Encoding.ASCII.GetBytes(hex.ToLowerInvariant()));
        var hash = digest.Bytes;
        for (var k = 0; k < 40; k++)
        {
            var c = hex[k];
            if (!char.IsAsciiLetter(c))
            {
                continue;
            }

            var nibble = (hash[k / 2] >> (k % 2 == 0 ? 4 : 0)) & 0xf;
            if (char.IsAsciiLetterUpper(c) != nibble >= 8)
            {
                return false;
            }
        }

        return true;
    }

    // RFC 3339 date-times always carry the "T" and an offset or "Z".
    private static bool TryTime(string text, out DateTimeOffset value)
    {
        value = default;
        return text.Contains('T', StringComparison.Ordinal) &&
            DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out value);
    }

    private static string Shorten(string line) => line.Length > 60 ? line[..60] + "…" : line;

    private static bool Fail(string problem, out string? error)
    {
        error = "the message is not a Sign-In with Ethereum (EIP-4361) message: " + problem;
        return false;
    }
}
