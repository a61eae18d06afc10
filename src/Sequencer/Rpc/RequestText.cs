using System.Buffers;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace Sequencer.Rpc;

/// <summary>
/// JSON strings that are not Unicode text: invalid UTF-8 bytes, or \u escapes that leave a surrogate
/// unpaired. <see cref="JsonDocument"/> accepts both and fails only later, when a value is read as a string
/// (<c>GetString</c>, <c>ValueEquals</c> throw InvalidOperationException). Requests are therefore checked once,
/// right after parsing, so that such text becomes a JSON-RPC error naming the member, in any field.
/// </summary>
internal static class RequestText
{
    /// <summary>
    /// False when every string of <paramref name="payload"/> is certainly valid: all bytes ASCII and no
    /// backslash (so no escapes). That is nearly every request; the others get the per-string check.
    /// </summary>
    public static bool NeedsCheck(ReadOnlySequence<byte> payload)
    {
        foreach (var segment in payload)
        {
            var span = segment.Span;
            if (!Ascii.IsValid(span) || span.Contains((byte)'\\'))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True when every string and member name in <paramref name="element"/> is valid text.</summary>
    public static bool IsValid(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                return IsValidString(JsonMarshal.GetRawUtf8Value(element));
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    if (!IsValid(item))
                    {
                        return false;
                    }
                }

                return true;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if (!IsValidName(property) || !IsValid(property.Value))
                    {
                        return false;
                    }
                }

                return true;
            default:
                return true;
        }
    }

    public static bool IsValidName(JsonProperty property) => IsValidString(JsonMarshal.GetRawUtf8PropertyName(property));

    /// <summary>
    /// Where the first invalid text in <paramref name="element"/> is, as a path from <paramref name="path"/>
    /// ("params[0].data"), prefixed with "a member name in " when it is a member's name. Only called once
    /// <see cref="IsValid"/> said false, so building the path costs nothing on valid requests.
    /// </summary>
    public static string Locate(JsonElement element, string path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (!IsValid(item))
                    {
                        return Locate(item, $"{path}[{index}]");
                    }

                    index++;
                }

                break;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if (!IsValidName(property))
                    {
                        return "a member name in " + path;
                    }

                    if (!IsValid(property.Value))
                    {
                        return Locate(property.Value, $"{path}.{RpcText.Shorten(property.Name, 40)}");
                    }
                }

                break;
        }

        return path;
    }

    /// <summary>
    /// A string token as it stands in the JSON (escapes not yet decoded; the reader has already checked
    /// their syntax): valid UTF-8, and every \u escape of a surrogate in a high-low pair.
    /// </summary>
    private static bool IsValidString(ReadOnlySpan<byte> raw)
    {
        if (!Utf8.IsValid(raw))
        {
            return false;
        }

        var highPending = false;
        var i = raw.IndexOf((byte)'\\');
        if (i < 0)
        {
            return true;
        }

        while (i < raw.Length)
        {
            if (raw[i] != '\\')
            {
                if (highPending)
                {
                    return false;
                }

                var next = raw[i..].IndexOf((byte)'\\');
                if (next < 0)
                {
                    return true;
                }

                i += next;
                continue;
            }

            if (raw[i + 1] != 'u')
            {
                if (highPending)
                {
                    return false;
                }

                i += 2;
                continue;
            }

            var unit = HexValue(raw[i + 2]) << 12 | HexValue(raw[i + 3]) << 8 | HexValue(raw[i + 4]) << 4 | HexValue(raw[i + 5]);
            i += 6;
            if (unit is >= 0xD800 and <= 0xDBFF)
            {
                if (highPending)
                {
                    return false;
                }

                highPending = true;
            }
            else if (unit is >= 0xDC00 and <= 0xDFFF)
            {
                if (!highPending)
                {
                    return false;
                }

                highPending = false;
            }
            else if (highPending)
            {
                return false;
            }
        }

        return !highPending;
    }

    private static int HexValue(byte digit) => digit switch
    {
        >= (byte)'0' and <= (byte)'9' => digit - '0',
        >= (byte)'a' and <= (byte)'f' => digit - 'a' + 10,
        _ => digit - 'A' + 10,
    };
}
