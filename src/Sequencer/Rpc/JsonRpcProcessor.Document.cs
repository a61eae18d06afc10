using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace Sequencer.Rpc;

/// <summary>
/// The document path: a request read from a <see cref="JsonDocument"/> of the payload. Every request that is not in the
/// write path's plain form comes here (every method but the transaction sends, any malformed or unusual request, any
/// payload with escapes or non-ASCII text), and so does every error message about the envelope.
/// </summary>
public sealed partial class JsonRpcProcessor
{
    private const int MaxStackName = 128;
    private const string NotText = "is not valid text (invalid UTF-8, or a \\u escape of an unpaired surrogate)";

    private ValueTask<Invocation> InvokeAsync(JsonElement request, bool checkText, RpcTransport transport, CancellationToken aborted)
    {
        if (request.ValueKind != JsonValueKind.Object)
        {
            return Answer(true, default, new RpcError(RpcErrorCodes.InvalidRequest, "invalid request: each request must be a JSON object"));
        }

        string? badParams = null;
        if (checkText && !RequestText.IsValid(request))
        {
            if (CheckEnvelopeText(request, out badParams) is { } invalid)
            {
                return new(invalid);
            }
        }

        var hasId = request.TryGetProperty("id"u8, out var id);
        if (hasId && id.ValueKind is not (JsonValueKind.String or JsonValueKind.Number or JsonValueKind.Null))
        {
            return Answer(true, default, new RpcError(RpcErrorCodes.InvalidRequest, "invalid request: id must be a string, a number or null"));
        }

        var echo = id.ValueKind is JsonValueKind.String or JsonValueKind.Number ? id : default;
        if (!request.TryGetProperty("jsonrpc"u8, out var version) || version.ValueKind != JsonValueKind.String || !version.ValueEquals("2.0"u8))
        {
            return Answer(true, echo, new RpcError(RpcErrorCodes.InvalidRequest, "invalid request: \"jsonrpc\" must be \"2.0\""));
        }

        if (!request.TryGetProperty("method"u8, out var methodElement) || methodElement.ValueKind != JsonValueKind.String)
        {
            return Answer(true, echo, new RpcError(RpcErrorCodes.InvalidRequest, "invalid request: \"method\" must be a string"));
        }

        var parameters = default(JsonElement);
        if (request.TryGetProperty("params"u8, out var p))
        {
            if (p.ValueKind is not (JsonValueKind.Array or JsonValueKind.Object))
            {
                return Answer(true, echo, new RpcError(RpcErrorCodes.InvalidRequest, "invalid request: \"params\" must be an array or an object"));
            }

            parameters = p;
        }

        if (!TryGetMethod(methodElement, out var method))
        {
            var unknown = methodElement.GetString()!;
            return Answer(hasId, echo, new RpcError(RpcErrorCodes.MethodNotFound, $"method not found: {RpcText.Shorten(unknown, 64)}"));
        }

        if (badParams is not null)
        {
            return Answer(hasId, echo, RpcError.InvalidParams($"{badParams} {NotText}"));
        }

        return CallAsync(hasId, echo, method, new RpcCall(parameters, transport, aborted), methodElement, default);
    }

    private static ValueTask<Invocation> Answer(bool hasId, JsonElement id, RpcError error) => new(new Invocation(hasId, id, error));

    /// <summary>
    /// The method named by <paramref name="element"/> (a JSON string), looked up from the request's own bytes: an
    /// unescaped name of at most <see cref="MaxStackName"/> bytes is transcoded on the stack, anything else (escapes,
    /// long names) through a string as before.
    /// </summary>
    private bool TryGetMethod(JsonElement element, out RpcMethod method)
    {
        var token = JsonMarshal.GetRawUtf8Value(element);
        if (token.Length < 2 || token.Length - 2 > MaxStackName || token.IndexOf((byte)'\\') >= 0)
        {
            return methods.TryGet(element.GetString()!, out method);
        }

        Span<char> chars = stackalloc char[MaxStackName];
        // The request's text was checked as valid UTF-8 before; a failure here still falls back to the string path.
        return Encoding.UTF8.TryGetChars(token[1..^1], chars, out var written)
            ? methods.TryGet(chars[..written], out method)
            : methods.TryGet(element.GetString()!, out method);
    }

    /// <summary>
    /// A request with invalid text somewhere: -32600 when it is in the envelope (id, jsonrpc, method, any
    /// other member or a member's name); when it is only in params, their path, for a -32602 once the
    /// method is known to exist.
    /// </summary>
    private static Invocation? CheckEnvelopeText(JsonElement request, out string? badParams)
    {
        badParams = null;
        var idValid = true;
        string? badMember = null;
        foreach (var property in request.EnumerateObject())
        {
            if (!RequestText.IsValidName(property))
            {
                badMember ??= "a member name";
                continue;
            }

            if (RequestText.IsValid(property.Value))
            {
                continue;
            }

            if (property.NameEquals("params"u8))
            {
                badParams = RequestText.Locate(property.Value, "params");
                continue;
            }

            idValid &= !property.NameEquals("id"u8);
            badMember ??= "\"" + RpcText.Shorten(property.Name, 40) + "\"";
        }

        if (badMember is null)
        {
            return null;
        }

        var echo = idValid && request.TryGetProperty("id"u8, out var id) && id.ValueKind is JsonValueKind.String or JsonValueKind.Number ? id : default;
        return new Invocation(true, echo, new RpcError(RpcErrorCodes.InvalidRequest, $"invalid request: {badMember} {NotText}"));
    }
}
