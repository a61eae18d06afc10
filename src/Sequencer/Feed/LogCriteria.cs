using System.Text.Json;
using Sequencer.Rpc;

namespace Sequencer.Feed;

/// <summary>
/// The options of <c>eth_subscribe("logs", {address, topics})</c>, as geth reads them: <c>address</c> one address or
/// a list (any of them); <c>topics</c> up to 4 positions, each null (any), one topic or a list (any of them).
/// </summary>
internal sealed class LogCriteria
{
    private readonly HashSet<string>? _addresses;
    private readonly HashSet<string>?[] _topics;

    private LogCriteria(HashSet<string>? addresses, HashSet<string>?[] topics)
    {
        _addresses = addresses;
        _topics = topics;
    }

    public static readonly LogCriteria Any = new(null, []);

    /// <summary>Reads the options object; an error names what is wrong.</summary>
    public static RpcError? TryParse(JsonElement options, out LogCriteria criteria)
    {
        criteria = Any;
        if (options.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
        {
            return null;
        }

        if (options.ValueKind != JsonValueKind.Object)
        {
            return RpcError.InvalidParams($"logs options must be an object {{address, topics}}, got {RpcParams.Describe(options)}");
        }

        HashSet<string>? addresses = null;
        if (options.TryGetProperty("address"u8, out var address) && OneOrMany(address, 42, "address", out addresses) is { } addressError)
        {
            return addressError;
        }

        var topics = new List<HashSet<string>?>();
        if (options.TryGetProperty("topics"u8, out var topicList) && topicList.ValueKind != JsonValueKind.Null)
        {
            if (topicList.ValueKind != JsonValueKind.Array || topicList.GetArrayLength() > 4)
            {
                return RpcError.InvalidParams($"logs topics must be an array of at most 4 positions, got {RpcParams.Describe(topicList)}");
            }

            foreach (var position in topicList.EnumerateArray())
            {
                if (OneOrMany(position, 66, "topic", out var set) is { } topicError)
                {
                    return topicError;
                }

                topics.Add(set);
            }
        }

        criteria = new LogCriteria(addresses, [.. topics]);
        return null;
    }

    /// <summary>Whether <paramref name="log"/> (a log object as eth_getLogs returns it) matches.</summary>
    public bool Matches(JsonElement log)
    {
        if (_addresses is not null && !(log.TryGetProperty("address"u8, out var address) && address.GetString() is { } text && _addresses.Contains(text)))
        {
            return false;
        }

        if (_topics.Length == 0)
        {
            return true;
        }

        if (!log.TryGetProperty("topics"u8, out var topics) || topics.ValueKind != JsonValueKind.Array || topics.GetArrayLength() < _topics.Length)
        {
            return false;
        }

        for (var i = 0; i < _topics.Length; i++)
        {
            if (_topics[i] is { } wanted && !(topics[i].GetString() is { } topic && wanted.Contains(topic)))
            {
                return false;
            }
        }

        return true;
    }

    private static RpcError? OneOrMany(JsonElement value, int length, string what, out HashSet<string>? set)
    {
        set = null;
        switch (value.ValueKind)
        {
            case JsonValueKind.Null:
                return null;
            case JsonValueKind.String when IsHex(value.GetString()!, length):
                set = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { value.GetString()! };
                return null;
            case JsonValueKind.Array:
                set = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
                foreach (var item in value.EnumerateArray())
                {
                    if (item.ValueKind != JsonValueKind.String || !IsHex(item.GetString()!, length))
                    {
                        return RpcError.InvalidParams($"logs {what} must be 0x-hex of {(length - 2) / 2} bytes, got {RpcParams.Describe(item)}");
                    }

                    set.Add(item.GetString()!);
                }

                return null;
            default:
                return RpcError.InvalidParams($"logs {what} must be 0x-hex of {(length - 2) / 2} bytes or a list of them, got {RpcParams.Describe(value)}");
        }
    }

    private static bool IsHex(string text, int length) =>
        text.Length == length && text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) && text.AsSpan(2).ContainsAnyExcept("0123456789abcdefABCDEF") is false;
}
