using System.Text.Json;

namespace Sequencer.Rpc;

/// <summary>
/// The id a reply echoes: null (a request without a usable id), or the request's string or number, either as an
/// element of the request's document or, on the write path, as the token's own bytes. Both write the same JSON.
/// </summary>
internal readonly struct ReplyId
{
    private readonly JsonElement _element;
    private readonly ReadOnlyMemory<byte> _utf8;
    private readonly JsonTokenType _token;

    private ReplyId(JsonElement element, ReadOnlyMemory<byte> utf8, JsonTokenType token)
    {
        _element = element;
        _utf8 = utf8;
        _token = token;
    }

    public static ReplyId Null => default;

    /// <summary>A document's id element; anything but a string or a number is echoed as null.</summary>
    public static ReplyId Of(JsonElement id) =>
        id.ValueKind is JsonValueKind.String or JsonValueKind.Number ? new(id, default, JsonTokenType.None) : default;

    /// <summary>
    /// An id token read from the request: a number's text, or a string's bytes with the quotes off, which the reader
    /// has checked hold no escape and only ASCII. Null for any other token.
    /// </summary>
    public static ReplyId FromToken(JsonTokenType token, ReadOnlyMemory<byte> utf8) =>
        token is JsonTokenType.String or JsonTokenType.Number ? new(default, utf8, token) : default;

    public void WriteTo(Utf8JsonWriter writer)
    {
        switch (_token)
        {
            case JsonTokenType.Number:
                // A number is echoed as written (1.50 stays 1.50, 1e3 stays 1e3), as JsonElement.WriteTo does.
                writer.WriteRawValue(_utf8.Span, skipInputValidation: true);
                return;
            case JsonTokenType.String:
                writer.WriteStringValue(_utf8.Span);
                return;
        }

        if (_element.ValueKind is JsonValueKind.String or JsonValueKind.Number)
        {
            _element.WriteTo(writer);
        }
        else
        {
            writer.WriteNullValue();
        }
    }
}
