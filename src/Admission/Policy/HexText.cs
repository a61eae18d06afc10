namespace Admission.Policy;

/// <summary>Checks and decodes the "0x…" hex strings a policy holds.</summary>
internal static class HexText
{
    public static bool IsHexOfLength(string? text, int bytes) =>
        text is not null && text.Length == 2 + 2 * bytes && text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) &&
        IsHex(text.AsSpan(2));

    public static bool IsHex(ReadOnlySpan<char> digits)
    {
        foreach (var c in digits)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return false;
            }
        }

        return true;
    }
}
