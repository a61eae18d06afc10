using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Sequencer.Rpc;

/// <summary>One JSON-RPC response object: <c>{"jsonrpc":"2.0","id":…,"result":…}</c> or <c>…"error":{…}}</c>.</summary>
internal static class RpcReplyWriter
{
    // Error messages quote client input; relaxed escaping keeps quotes readable (responses are JSON, never HTML).
    public static readonly JsonWriterOptions WriterOptions = new() { SkipValidation = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    // One writer per thread, reset onto each reply: a writer per response was a fifth of the write path's framing
    // allocation (RpcDispatchBenchmarks). Writing is synchronous, so a writer never crosses an await or another thread.
    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    // What an idle writer points at, so that it holds no reply's buffer (never written to).
    private static readonly ArrayBufferWriter<byte> Detached = new(1);

    public static void Write(IBufferWriter<byte> output, ReplyId id, RpcResult result)
    {
        var writer = t_writer;
        if (writer is null)
        {
            writer = new Utf8JsonWriter(output, WriterOptions);
            t_writer = writer;
        }
        else
        {
            writer.Reset(output);
        }

        try
        {
            Write(writer, id, result);
        }
        finally
        {
            // Drops the reference to the reply's buffer, which goes back to its pool.
            writer.Reset(Detached);
        }
    }

    public static void Write(Utf8JsonWriter writer, ReplyId id, RpcResult result)
    {
        writer.WriteStartObject();
        writer.WriteString("jsonrpc"u8, "2.0"u8);
        writer.WritePropertyName("id"u8);
        id.WriteTo(writer);
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
}
