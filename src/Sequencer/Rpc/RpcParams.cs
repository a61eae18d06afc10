using System.Runtime.InteropServices;
using System.Text.Json;
using Primitives;

namespace Sequencer.Rpc;

/// <summary>
/// Positional JSON-RPC params with typed reads that explain what was wrong: a document's element, or (the write path,
/// <see cref="RpcParamsShape.OneString"/>) the bytes of the one plain string that params <c>["…"]</c> held.
/// </summary>
public readonly struct RpcParams
{
    private readonly JsonElement _parameters;
    private readonly ReadOnlyMemory<byte> _oneString;
    private readonly bool _isOneString;

    public RpcParams(JsonElement parameters) => _parameters = parameters;

    private RpcParams(ReadOnlyMemory<byte> oneString)
    {
        _oneString = oneString;
        _isOneString = true;
    }

    public int Count => _isOneString ? 1 : _parameters.ValueKind == JsonValueKind.Array ? _parameters.GetArrayLength() : 0;

    public bool IsObject => _parameters.ValueKind == JsonValueKind.Object;

    /// <summary>True when the params came as the request's bytes (no document behind them; only GetData reads them).</summary>
    public bool IsFromBytes => _isOneString;

    public JsonElement Raw => _isOneString ? throw NoDocument() : _parameters;

    /// <summary>
    /// The first error of several checks. Every check is evaluated (they only read), which keeps
    /// their out values definitely assigned for the caller.
    /// </summary>
    public static RpcError? FirstError(RpcError? a, RpcError? b = null, RpcError? c = null) => a ?? b ?? c;

    /// <summary>
    /// Params <c>["…"]</c> as their one string's UTF-8 bytes, quotes off. The caller has checked that the string holds
    /// no escape and only ASCII (so these bytes are its text), and keeps them alive until the call has ended.
    /// </summary>
    public static RpcParams OneString(ReadOnlyMemory<byte> utf8) => new(utf8);

    public bool Has(int index) => index < Count && Element(index).ValueKind != JsonValueKind.Null;

    public RpcError? ExpectAtMost(int count) =>
        Count > count ? RpcError.InvalidParams($"expected at most {count} parameter{(count == 1 ? "" : "s")}, got {Count}") : null;

    public RpcError? Get(int index, string name, out JsonElement value)
    {
        if (_parameters.ValueKind == JsonValueKind.Object)
        {
            value = default;
            return RpcError.InvalidParams("params must be an array (positional)");
        }

        if (index >= Count)
        {
            value = default;
            return RpcError.InvalidParams($"missing parameter {index + 1} ({name})");
        }

        value = Element(index);
        return null;
    }

    /// <summary>Hex data ("0x…", even length).</summary>
    public RpcError? GetData(int index, string name, out byte[] data)
    {
        data = [];
        if (_isOneString && index == 0)
        {
            return Decode(_oneString.Span, null, name, out data);
        }

        if (Get(index, name, out var value) is { } error)
        {
            return error;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            return RpcError.InvalidParams($"{name} must be a hex string, got {Describe(value)}");
        }

        // The hex is decoded straight from the request's UTF-8 bytes: a transaction's text as a string was the
        // largest allocation per transaction (docs/benchmarks.md, issue 16). Escaped text (\u0030x…) is unescaped
        // by GetString first, so both forms give the same bytes and the same errors.
        var token = JsonMarshal.GetRawUtf8Value(value);
        var text = token.Length >= 2 && token.IndexOf((byte)'\\') < 0 ? null : value.GetString()!;
        return Decode(text is null ? token[1..^1] : default, text, name, out data);
    }

    /// <summary>Hex from the string's UTF-8 bytes when it had no escape, else from its unescaped text: same bytes, same errors.</summary>
    private static RpcError? Decode(ReadOnlySpan<byte> utf8, string? text, string name, out byte[] data)
    {
        data = [];
        if (text is null ? !StartsWith0x(utf8) : !text.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            return RpcError.InvalidParams($"{name} must start with 0x");
        }

        var decoded = text is null ? Hex.TryDecodeUtf8(utf8) : Hex.TryDecode(text);
        if (decoded is null)
        {
            return RpcError.InvalidParams($"{name} is not valid hex (odd length or a non-hex character)");
        }

        data = decoded;
        return null;
    }

    private static bool StartsWith0x(ReadOnlySpan<byte> utf8) => utf8.Length >= 2 && utf8[0] == (byte)'0' && (utf8[1] | 0x20) == (byte)'x';

    public RpcError? GetHash(int index, string name, out Hash32 hash)
    {
        hash = default;
        if (Get(index, name, out var value) is { } error)
        {
            return error;
        }

        return value.ValueKind == JsonValueKind.String && Hash32.TryParse(value.GetString(), out hash)
            ? null
            : RpcError.InvalidParams($"{name} must be a 32-byte hex hash, got {Describe(value)}");
    }

    public RpcError? GetAddress(int index, string name, out Address address)
    {
        address = default;
        if (Get(index, name, out var value) is { } error)
        {
            return error;
        }

        return value.ValueKind == JsonValueKind.String && Address.TryParse(value.GetString(), out address)
            ? null
            : RpcError.InvalidParams($"{name} must be a 20-byte hex address, got {Describe(value)}");
    }

    public RpcError? GetBool(int index, string name, bool fallback, out bool result)
    {
        result = fallback;
        if (index >= Count)
        {
            return null;
        }

        var value = Element(index);
        switch (value.ValueKind)
        {
            case JsonValueKind.True:
                result = true;
                return null;
            case JsonValueKind.False:
                result = false;
                return null;
            default:
                return RpcError.InvalidParams($"{name} must be true or false, got {Describe(value)}");
        }
    }

    /// <summary>A block tag or number: "latest", "pending", "earliest", "safe", "finalized" or a hex quantity.</summary>
    public RpcError? GetBlockTag(int index, string name, bool optional, out BlockTag tag)
    {
        tag = BlockTag.Latest;
        if (index >= Count && optional)
        {
            return null;
        }

        if (Get(index, name, out var value) is { } error)
        {
            return error;
        }

        if (value.ValueKind == JsonValueKind.String)
        {
            var text = value.GetString()!;
            switch (text)
            {
                case "latest" or "safe" or "finalized":
                    tag = BlockTag.Latest;
                    return null;
                case "pending":
                    tag = BlockTag.Pending;
                    return null;
                case "earliest":
                    tag = BlockTag.Number(0);
                    return null;
            }

            if (Hex.TryParseQuantity(text, out var number))
            {
                tag = BlockTag.Number(number);
                return null;
            }
        }
        else if (value.ValueKind == JsonValueKind.Object && value.TryGetProperty("blockNumber", out var inner) &&
                 inner.ValueKind == JsonValueKind.String && Hex.TryParseQuantity(inner.GetString(), out var byNumber))
        {
            // EIP-1898 form { "blockNumber": "0x…" }.
            tag = BlockTag.Number(byNumber);
            return null;
        }

        return RpcError.InvalidParams($"{name} must be a block number (hex) or one of latest, pending, earliest, safe, finalized; got {Describe(value)}");
    }

    private JsonElement Element(int index) => _isOneString ? throw NoDocument() : _parameters[index];

    // A method registered as OneString that reads anything but GetData(0) is a bug in its registration, not bad input.
    private static InvalidOperationException NoDocument() =>
        new("params were handed over as bytes (RpcParamsShape.OneString); this read needs them as a document: register the method with RpcParamsShape.Any");

    public static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => "\"" + RpcText.Shorten(value.GetString()!, 80) + "\"",
        JsonValueKind.Number => "number " + RpcText.Shorten(value.GetRawText(), 80),
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
        JsonValueKind.Null => "null",
        _ => "nothing",
    };
}

/// <summary>A resolved block selector.</summary>
public readonly record struct BlockTag(BlockTagKind Kind, ulong Value)
{
    public static BlockTag Latest => new(BlockTagKind.Latest, 0);

    public static BlockTag Pending => new(BlockTagKind.Pending, 0);

    public static BlockTag Number(ulong number) => new(BlockTagKind.Number, number);
}

public enum BlockTagKind
{
    Latest,
    Pending,
    Number,
}
