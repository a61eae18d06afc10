using System.Buffers;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.IO;

namespace Sequencer.Rpc;

/// <summary>
/// JSON-RPC 2.0 framing shared by HTTP and WebSocket: parses a single request or a batch, checks the
/// envelope, dispatches, and writes the response(s) into a pooled buffer of at most maxResponseBytes of
/// results. Client mistakes become error responses; only a bug in a method becomes -32603.
/// </summary>
public sealed partial class JsonRpcProcessor(RpcMethodTable methods, int maxBatchSize, int maxResponseBytes, ILogger<JsonRpcProcessor> logger)
{
    private const int MaxStackName = 128;
    private const string NotText = "is not valid text (invalid UTF-8, or a \\u escape of an unpaired surrogate)";

    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 64 };
    // Error messages quote client input; relaxed escaping keeps quotes readable (responses are JSON, never HTML).
    private static readonly JsonWriterOptions WriterOptions = new() { SkipValidation = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly RpcError _tooLarge = RpcError.Limit(
        $"response too large: the reply would pass {maxResponseBytes} bytes (Sequencer:Rpc:MaxResponseBytes); ask for less in one call or batch",
        "response_too_large",
        0);

    /// <summary>
    /// Processes one payload into <paramref name="output"/> (empty on entry). Returns false when nothing is
    /// to be sent back (only notifications). Never throws for anything a client sent.
    /// </summary>
    public async ValueTask<bool> ProcessAsync(ReadOnlySequence<byte> payload, RecyclableMemoryStream output, RpcTransport transport, CancellationToken aborted)
    {
        try
        {
            return await DispatchAsync(payload, output, transport, aborted).ConfigureAwait(false);
        }
        catch (Exception ex) when (!(ex is OperationCanceledException && aborted.IsCancellationRequested))
        {
            // A fault in the framing itself is still answered as JSON-RPC: never an HTTP 500, never a dropped socket.
            LogFramingFailed(ex);
            output.SetLength(0);
            WriteResponse(output, default, new RpcError(RpcErrorCodes.Internal, "internal error"));
            return true;
        }
    }

    private async ValueTask<bool> DispatchAsync(ReadOnlySequence<byte> payload, RecyclableMemoryStream output, RpcTransport transport, CancellationToken aborted)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(payload, DocumentOptions);
        }
        catch (JsonException ex)
        {
            WriteResponse(output, default, new RpcError(RpcErrorCodes.ParseError, ParseErrorText.Of(ex)));
            return true;
        }

        var checkText = RequestText.NeedsCheck(payload);
        using (document)
        {
            var root = document.RootElement;
            switch (root.ValueKind)
            {
                case JsonValueKind.Object:
                {
                    var call = await InvokeAsync(root, checkText, transport, aborted).ConfigureAwait(false);
                    if (!call.HasId)
                    {
                        return false;
                    }

                    WriteResponse(output, call.Id, call.Result);
                    if (output.Length > maxResponseBytes)
                    {
                        output.SetLength(0);
                        WriteResponse(output, call.Id, _tooLarge);
                    }

                    return true;
                }

                case JsonValueKind.Array:
                    return await ProcessBatchAsync(root, checkText, output, transport, aborted).ConfigureAwait(false);
                default:
                    WriteResponse(output, default, new RpcError(RpcErrorCodes.InvalidRequest, "invalid request: expected a JSON object or an array of them"));
                    return true;
            }
        }
    }

    private async ValueTask<bool> ProcessBatchAsync(JsonElement batch, bool checkText, RecyclableMemoryStream output, RpcTransport transport, CancellationToken aborted)
    {
        var count = batch.GetArrayLength();
        if (count == 0)
        {
            WriteResponse(output, default, new RpcError(RpcErrorCodes.InvalidRequest, "invalid request: empty batch"));
            return true;
        }

        if (count > maxBatchSize)
        {
            WriteResponse(output, default, new RpcError(RpcErrorCodes.InvalidRequest, $"invalid request: batch of {count} requests exceeds the limit of {maxBatchSize}"));
            return true;
        }

        // Start every call first so that, e.g., 100 transactions share one group commit.
#pragma warning disable CA2012 // Kept to start every call at once; each is awaited exactly once below.
        var pending = new ValueTask<Invocation>[count];
        var i = 0;
        foreach (var request in batch.EnumerateArray())
        {
            pending[i++] = InvokeAsync(request, checkText, transport, aborted);
        }
#pragma warning restore CA2012

        // Each response is written by itself so that one that does not fit can be cut off again; from then
        // on the calls answer response_too_large, so the results in a reply never pass maxResponseBytes.
        IBufferWriter<byte> sink = output;
        using var writer = new Utf8JsonWriter(sink, WriterOptions);
        var wroteAny = false;
        var full = false;
        for (i = 0; i < count; i++)
        {
            var call = await pending[i].ConfigureAwait(false);
            pending[i] = default;
            if (!call.HasId)
            {
                continue;
            }

            var start = output.Length;
            output.WriteByte(wroteAny ? (byte)',' : (byte)'[');
            wroteAny = true;
            writer.Reset(sink);
            if (!full)
            {
                WriteResponse(writer, call.Id, call.Result);
                if (output.Length < maxResponseBytes)
                {
                    continue;
                }

                full = true;
                output.SetLength(start + 1);
                writer.Reset(sink);
            }

            WriteResponse(writer, call.Id, _tooLarge);
        }

        if (wroteAny)
        {
            output.WriteByte((byte)']');
        }

        return wroteAny;
    }

    private async ValueTask<Invocation> InvokeAsync(JsonElement request, bool checkText, RpcTransport transport, CancellationToken aborted)
    {
        if (request.ValueKind != JsonValueKind.Object)
        {
            return new(true, default, new RpcError(RpcErrorCodes.InvalidRequest, "invalid request: each request must be a JSON object"));
        }

        string? badParams = null;
        if (checkText && !RequestText.IsValid(request))
        {
            if (CheckEnvelopeText(request, out badParams) is { } invalid)
            {
                return invalid;
            }
        }

        var hasId = request.TryGetProperty("id"u8, out var id);
        if (hasId && id.ValueKind is not (JsonValueKind.String or JsonValueKind.Number or JsonValueKind.Null))
        {
            return new(true, default, new RpcError(RpcErrorCodes.InvalidRequest, "invalid request: id must be a string, a number or null"));
        }

        var echo = id.ValueKind is JsonValueKind.String or JsonValueKind.Number ? id : default;
        if (!request.TryGetProperty("jsonrpc"u8, out var version) || version.ValueKind != JsonValueKind.String || !version.ValueEquals("2.0"u8))
        {
            return new(true, echo, new RpcError(RpcErrorCodes.InvalidRequest, "invalid request: \"jsonrpc\" must be \"2.0\""));
        }

        if (!request.TryGetProperty("method"u8, out var methodElement) || methodElement.ValueKind != JsonValueKind.String)
        {
            return new(true, echo, new RpcError(RpcErrorCodes.InvalidRequest, "invalid request: \"method\" must be a string"));
        }

        var parameters = default(JsonElement);
        if (request.TryGetProperty("params"u8, out var p))
        {
            if (p.ValueKind is not (JsonValueKind.Array or JsonValueKind.Object))
            {
                return new(true, echo, new RpcError(RpcErrorCodes.InvalidRequest, "invalid request: \"params\" must be an array or an object"));
            }

            parameters = p;
        }

        if (!TryGetMethod(methodElement, out var method))
        {
            var unknown = methodElement.GetString()!;
            return new(hasId, echo, new RpcError(RpcErrorCodes.MethodNotFound, $"method not found: {RpcText.Shorten(unknown, 64)}"));
        }

        if (badParams is not null)
        {
            return new(hasId, echo, RpcError.InvalidParams($"{badParams} {NotText}"));
        }

        try
        {
            return new(hasId, echo, await method(new RpcCall(parameters, transport, aborted)).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            return new(hasId, echo, new RpcError(RpcErrorCodes.Internal, "request aborted by the client"));
        }
        catch (Exception ex)
        {
            var name = methodElement.GetString()!;
            LogMethodFailed(ex, name);
            return new(hasId, echo, new RpcError(RpcErrorCodes.Internal, $"internal error in {name}"));
        }
    }

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

    private static void WriteResponse(IBufferWriter<byte> output, JsonElement id, RpcResult result)
    {
        using var writer = new Utf8JsonWriter(output, WriterOptions);
        WriteResponse(writer, id, result);
    }

    private static void WriteResponse(Utf8JsonWriter writer, JsonElement id, RpcResult result)
    {
        writer.WriteStartObject();
        writer.WriteString("jsonrpc"u8, "2.0"u8);
        writer.WritePropertyName("id"u8);
        if (id.ValueKind is JsonValueKind.String or JsonValueKind.Number)
        {
            id.WriteTo(writer);
        }
        else
        {
            writer.WriteNullValue();
        }

        if (result.Error is { } error)
        {
            writer.WriteStartObject("error"u8);
            writer.WriteNumber("code"u8, error.Code);
            writer.WriteString("message"u8, error.Message);
            if (error.Data is { } data)
            {
                writer.WritePropertyName("data"u8);
                JsonSerializer.Serialize(writer, data, RpcJsonContext.Default.RpcLimitData);
            }
            else if (error.RawData is { } raw && raw.ValueKind != JsonValueKind.Undefined)
            {
                writer.WritePropertyName("data"u8);
                raw.WriteTo(writer);
            }

            writer.WriteEndObject();
        }
        else
        {
            writer.WritePropertyName("result"u8);
            result.WriteValue(writer);
        }

        writer.WriteEndObject();
        writer.Flush();
    }

    [LoggerMessage(EventId = 10, Level = LogLevel.Error, Message = "JSON-RPC method {Method} failed")]
    private partial void LogMethodFailed(Exception exception, string method);

    [LoggerMessage(EventId = 11, Level = LogLevel.Error, Message = "JSON-RPC framing failed; answered -32603")]
    private partial void LogFramingFailed(Exception exception);

    /// <summary>One call's outcome: whether it wants a reply, the id to echo (default: null), and the result.</summary>
    private readonly record struct Invocation(bool HasId, JsonElement Id, RpcResult Result);
}
