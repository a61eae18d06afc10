using System.Buffers;
using System.Numerics;

namespace Primitives;

/// <summary>Ethereum's hex conventions: "0x" prefix, lower case; quantities without leading zeros.</summary>
public static class Hex
{
    public static string Encode(ReadOnlySpan<byte> bytes)
    {
        return string.Create(2 + bytes.Length * 2, bytes, static (span, b) =>
        {
            span[0] = '0';
            span[1] = 'x';
            Convert.TryToHexStringLower(b, span[2..], out _);
        });
    }

    /// <summary>A QUANTITY: "0x0" for zero, otherwise no leading zero digits.</summary>
    public static string EncodeQuantity(ulong value) => "0x" + value.ToString("x");

    public static string EncodeQuantity(BigInteger value)
    {
        if (value.Sign == 0)
        {
            return "0x0";
        }

        var hex = value.ToString("x").TrimStart('0');
        return "0x" + (hex.Length == 0 ? "0" : hex);
    }

    /// <summary>Big-endian unsigned bytes (as RLP holds integers) as a QUANTITY.</summary>
    public static string EncodeQuantity(ReadOnlySpan<byte> bigEndian)
    {
        var start = 0;
        while (start < bigEndian.Length && bigEndian[start] == 0)
        {
            start++;
        }

        if (start == bigEndian.Length)
        {
            return "0x0";
        }

        var hex = Convert.ToHexStringLower(bigEndian[start..]);
        return hex[0] == '0' ? "0x" + hex[1..] : "0x" + hex;
    }

    /// <summary>Writes UTF-8 "0x..." for <paramref name="bytes"/> into <paramref name="destination"/>.</summary>
    public static int EncodeUtf8(ReadOnlySpan<byte> bytes, Span<byte> destination)
    {
        destination[0] = (byte)'0';
        destination[1] = (byte)'x';
        const string digits = "0123456789abcdef";
        var j = 2;
        foreach (var b in bytes)
        {
            destination[j++] = (byte)digits[b >> 4];
            destination[j++] = (byte)digits[b & 0xF];
        }

        return j;
    }

    /// <summary>Decodes "0x"-prefixed (or bare) hex of any even length. Null on bad input.</summary>
    public static byte[]? TryDecode(ReadOnlySpan<char> hex)
    {
        if (hex.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            hex = hex[2..];
        }

        if ((hex.Length & 1) != 0)
        {
            return null;
        }

        var result = new byte[hex.Length / 2];
        return Convert.FromHexString(hex, result, out _, out _) == OperationStatus.Done ? result : null;
    }

    /// <summary>Decodes hex that must be exactly <c>destination.Length</c> bytes.</summary>
    public static bool TryDecodeFixed(ReadOnlySpan<char> hex, Span<byte> destination)
    {
        if (hex.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            hex = hex[2..];
        }

        return hex.Length == destination.Length * 2
            && Convert.FromHexString(hex, destination, out _, out var written) == OperationStatus.Done
            && written == destination.Length;
    }

    /// <summary>Parses a QUANTITY ("0x" + hex digits, no leading zeros required to be absent) into a ulong.</summary>
    public static bool TryParseQuantity(ReadOnlySpan<char> text, out ulong value)
    {
        value = 0;
        if (!text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) || text.Length < 3 || text.Length > 18)
        {
            return false;
        }

        return ulong.TryParse(text[2..], System.Globalization.NumberStyles.AllowHexSpecifier, null, out value);
    }

    /// <summary>Decodes hex in UTF-8 form (straight from a JSON token) into a new array.</summary>
    public static byte[]? TryDecodeUtf8(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length >= 2 && utf8[0] == (byte)'0' && (utf8[1] | 0x20) == (byte)'x')
        {
            utf8 = utf8[2..];
        }

        if ((utf8.Length & 1) != 0)
        {
            return null;
        }

        var result = new byte[utf8.Length / 2];
        for (int i = 0, j = 0; i < result.Length; i++, j += 2)
        {
            var hi = HexValue(utf8[j]);
            var lo = HexValue(utf8[j + 1]);
            if ((hi | lo) < 0)
            {
                return null;
            }

            result[i] = (byte)((hi << 4) | lo);
        }

        return result;
    }

    private static int HexValue(byte c) => c switch
    {
        >= (byte)'0' and <= (byte)'9' => c - '0',
        >= (byte)'a' and <= (byte)'f' => c - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => c - 'A' + 10,
        _ => -1,
    };
}
