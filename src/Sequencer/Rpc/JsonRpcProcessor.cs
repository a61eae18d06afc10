using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Sequencer.Rpc;

/// <summary>
/// JSON-RPC 2.0 framing shared by HTTP and WebSocket: parses a single request or a batch, checks the
/// envelope, dispatches, and writes the response(s). Client mistakes become error responses; only a
/// bug in a method becomes -32603.
/// </summary>
public sealed partial class JsonRpcProcessor(RpcMethodTable methods, int maxBatchSize, ILogger<JsonRpcProcessor> logger)
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 64 };
    // Error messages quote client input; relaxed escaping keeps quotes readable (responses are JSON, never HTML).
    private static readonly JsonWriterOptions WriterOptions = new() { SkipValidation = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Processes one payload. Returns false when nothing is to be sent back (only notifications).</summary>
    public async ValueTask<bool> ProcessAsync(ReadOnlySequence<byte> payload, IBufferWriter<byte> output, RpcTransport transport, CancellationToken aborted)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(payload, DocumentOptions);
        }
        catch (JsonException ex)
        {
            WriteError(output, default, new RpcError(RpcErrorCodes.ParseError, "parse error: " + ex.Message));
            return true;
        }

        using (document)
        {
            var root = document.RootElement;
            switch (root.ValueKind)
            {
                case JsonValueKind.Object:
                {
                    var (hasId, result) = await InvokeAsync(root, transport, aborted).ConfigureAwait(false);
                    if (!hasId)
                    {
                        return false;
                    }

                    WriteResponse(output, IdOf(root), result);
                    return true;
                }

                case JsonValueKind.Array:
                    return await ProcessBatchAsync(root, output, transport, aborted).ConfigureAwait(false);
                default:
                    WriteError(output, default, new RpcError(RpcErrorCodes.InvalidRequest, "invalid request: expected a JSON object or an array of them"));
                    return true;
            }
        }
    }

    private async ValueTask<bool> ProcessBatchAsync(JsonElement batch, IBufferWriter<byte> output, RpcTransport transport, CancellationToken aborted)
    {
        var count = batch.GetArrayLength();
        if (count == 0)
        {
            WriteError(output, default, new RpcError(RpcErrorCodes.InvalidRequest, "invalid request: empty batch"));
            return true;
        }

        if (count > maxBatchSize)
        {
            WriteError(output, default, new RpcError(RpcErrorCodes.InvalidRequest, $"invalid request: batch of {count} requests exceeds the limit of {maxBatchSize}"));
            return true;
        }

        // Start every call first so that, e.g., 100 transactions share one group commit.
        var pending = new ValueTask<(bool HasId, RpcResult Result)>[count];
        var i = 0;
        foreach (var request in batch.EnumerateArray())
        {
            pending[i++] = InvokeAsync(request, transport, aborted);
        }

        using var writer = new Utf8JsonWriter(output, WriterOptions);
        var wroteAny = false;
        i = 0;
        foreach (var request in batch.EnumerateArray())
        {
            var (hasId, result) = await pending[i++].ConfigureAwait(false);
            if (!hasId)
            {
                continue;
            }

            if (!wroteAny)
            {
                writer.WriteStartArray();
                wroteAny = true;
            }

            WriteResponse(writer, IdOf(request), result);
        }

        if (wroteAny)
        {
            writer.WriteEndArray();
        }

        return wroteAny;
    }

    private async ValueTask<(bool HasId, RpcResult Result)> InvokeAsync(JsonElement request, RpcTransport transport, CancellationToken aborted)
    {
        if (request.ValueKind != JsonValueKind.Object)
        {
            return (true, new RpcError(RpcErrorCodes.InvalidRequest, "invalid request: each request must be a JSON object"));
        }

        var hasId = request.TryGetProperty("id"u8, out var id);
        if (hasId && id.ValueKind is not (JsonValueKind.String or JsonValueKind.Number or JsonValueKind.Null))
        {
            return (true, new RpcError(RpcErrorCodes.InvalidRequest, "invalid request: id must be a string, a number or null"));
        }

        if (!request.TryGetProperty("jsonrpc"u8, out var version) || version.ValueKind != JsonValueKind.String || !version.ValueEquals("2.0"u8))
        {
            return (true, new RpcError(RpcErrorCodes.InvalidRequest, "invalid request: \"jsonrpc\" must be \"2.0\""));
        }

        if (!request.TryGetProperty("method"u8, out var methodElement) || methodElement.ValueKind != JsonValueKind.String)
        {
            return (true, new RpcError(RpcErrorCodes.InvalidRequest, "invalid request: \"method\" must be a string"));
        }

        var parameters = default(JsonElement);
        if (request.TryGetProperty("params"u8, out var p))
        {
            if (p.ValueKind is not (JsonValueKind.Array or JsonValueKind.Object))
            {
                return (true, new RpcError(RpcErrorCodes.InvalidRequest, "invalid request: \"params\" must be an array or an object"));
            }

            parameters = p;
        }

        var name = methodElement.GetString()!;
        if (!methods.TryGet(name, out var method))
        {
            return (hasId, new RpcError(RpcErrorCodes.MethodNotFound, $"method not found: {Shorten(name)}"));
        }

        try
        {
            return (hasId, await method(new RpcCall(parameters, transport, aborted)).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            return (hasId, new RpcError(RpcErrorCodes.Internal, "request aborted by the client"));
        }
        catch (Exception ex)
        {
            LogMethodFailed(ex, name);
            return (hasId, new RpcError(RpcErrorCodes.Internal, $"internal error in {name}"));
        }
    }

    private static JsonElement IdOf(JsonElement request) =>
        request.ValueKind == JsonValueKind.Object && request.TryGetProperty("id"u8, out var id) &&
        id.ValueKind is JsonValueKind.String or JsonValueKind.Number
            ? id
            : default;

    private static void WriteError(IBufferWriter<byte> output, JsonElement id, RpcError error)
    {
        using var writer = new Utf8JsonWriter(output, WriterOptions);
        WriteResponse(writer, id, error);
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

    private static string Shorten(string name) => name.Length <= 64 ? name : name[..61] + "...";

    [LoggerMessage(EventId = 10, Level = LogLevel.Error, Message = "JSON-RPC method {Method} failed")]
    private partial void LogMethodFailed(Exception exception, string method);
}
