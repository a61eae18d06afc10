using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Sequencer.Rpc;

/// <summary>One request the write path answers from the request's own bytes (see <see cref="WriteRequestReader"/>).</summary>
/// <param name="HasId">Whether the request had an id at all (without one it is a notification and gets no reply).</param>
/// <param name="Id">The id to echo.</param>
/// <param name="Method">The method, registered with <see cref="RpcParamsShape.OneString"/>.</param>
/// <param name="Name">The method's name (ASCII), for the log if the method fails.</param>
/// <param name="Argument">The one string of params <c>["…"]</c>, quotes off.</param>
internal readonly record struct WriteRequest(bool HasId, ReplyId Id, RpcMethod Method, ReadOnlyMemory<byte> Name, ReadOnlyMemory<byte> Argument);

/// <summary>
/// The write path's request reader: a <see cref="Utf8JsonReader"/> over the request's bytes that accepts a request,
/// or a batch of them, only in the plain form the transaction sends take (<c>{"jsonrpc":"2.0","id":…,"method":
/// "eth_sendRawTransaction","params":["0x…"]}</c>, members in any order, other members ignored) and hands back where
/// each part lies, with no document and no string. Anything else — malformed JSON, a missing or ill-typed member, a
/// duplicate member, another method, other params — is left to the document path, which gives every error message
/// as before; the reader never answers a request itself, so it cannot answer one differently.
/// </summary>
/// <remarks>
/// The caller passes only payloads that are all ASCII and hold no backslash (<see cref="RequestText.NeedsCheck"/>): no
/// escapes and no invalid text, so every string's bytes are its text.
/// </remarks>
internal static class WriteRequestReader
{
    // As the document path parses (JsonDocumentOptions: depth 64, no comments, no trailing commas), so that what is
    // JSON to one is JSON to the other.
    private static readonly JsonReaderOptions Options = new() { MaxDepth = 64 };

    private const int MaxName = 128;
    private const int FirstBatchArray = 16;

    private const int OtherMember = 0;
    private const int IdMember = 1;
    private const int VersionMember = 2;
    private const int MethodMember = 4;
    private const int ParamsMember = 8;

    /// <summary>
    /// Reads <paramref name="payload"/> as one write request (<paramref name="batch"/> null) or a batch of
    /// <paramref name="count"/> of them in a pooled array (the caller returns it, cleared). False, with nothing
    /// rented, when anything in the payload is not in the write path's form; <paramref name="malformed"/> is then the
    /// parser's error if the reader met the payload's first syntax error before it could tell.
    /// </summary>
    public static bool TryRead(ReadOnlyMemory<byte> payload, RpcMethodTable methods, int maxBatchSize, out WriteRequest single, out WriteRequest[]? batch, out int count, out JsonException? malformed)
    {
        single = default;
        batch = null;
        count = 0;
        malformed = null;
        try
        {
            var reader = new Utf8JsonReader(payload.Span, Options);
            reader.Read();
            if (reader.TokenType == JsonTokenType.StartObject)
            {
                count = 1;
                return TryReadRequest(ref reader, payload, methods, out single) && AtEnd(ref reader);
            }

            if (reader.TokenType == JsonTokenType.StartArray && TryReadBatch(ref reader, payload, methods, maxBatchSize, out batch, out count))
            {
                if (AtEnd(ref reader))
                {
                    return true;
                }

                Return(batch!);
            }
        }
        catch (JsonException error)
        {
            malformed = error;
            if (batch is not null)
            {
                Return(batch);
            }
        }

        batch = null;
        count = 0;
        return false;
    }

    public static void Return(WriteRequest[] batch) => ArrayPool<WriteRequest>.Shared.Return(batch, clearArray: true);

    /// <summary>Nothing after the value but whitespace (the reader throws on anything else).</summary>
    private static bool AtEnd(ref Utf8JsonReader reader) => !reader.Read();

    private static bool TryReadBatch(ref Utf8JsonReader reader, ReadOnlyMemory<byte> payload, RpcMethodTable methods, int maxBatchSize, out WriteRequest[]? batch, out int count)
    {
        // batch is the caller's out variable too, so that the caller returns it if the reader throws.
        batch = null;
        count = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
        {
            // Past the limit, the document path gives the limit's error.
            if (count == maxBatchSize || !TryReadRequest(ref reader, payload, methods, out var request))
            {
                break;
            }

            if (batch is null || count == batch.Length)
            {
                batch = Grow(batch, count, maxBatchSize);
            }

            batch[count++] = request;
        }

        if (reader.TokenType == JsonTokenType.EndArray && count > 0)
        {
            return true;
        }

        if (batch is not null)
        {
            Return(batch);
        }

        batch = null;
        return false;
    }

    private static WriteRequest[] Grow(WriteRequest[]? batch, int count, int maxBatchSize)
    {
        var grown = ArrayPool<WriteRequest>.Shared.Rent(batch is null ? Math.Min(FirstBatchArray, maxBatchSize) : Math.Min(batch.Length * 2, maxBatchSize));
        if (batch is not null)
        {
            batch.AsSpan(0, count).CopyTo(grown);
            Return(batch);
        }

        return grown;
    }

    /// <summary>One request object, the reader on its StartObject; on success the reader is on its EndObject.</summary>
    private static bool TryReadRequest(ref Utf8JsonReader reader, ReadOnlyMemory<byte> payload, RpcMethodTable methods, out WriteRequest request)
    {
        request = default;
        var seen = 0;
        var id = ReplyId.Null;
        ReadOnlyMemory<byte> name = default;
        ReadOnlyMemory<byte> argument = default;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var member = Member(ref reader);
            // A duplicate: which one counts is the document's rule, so the document path decides.
            if ((seen & member) != 0)
            {
                return false;
            }

            seen |= member;
            reader.Read();
            switch (member)
            {
                case IdMember when reader.TokenType is JsonTokenType.String or JsonTokenType.Number:
                    id = ReplyId.FromToken(reader.TokenType, Value(ref reader, payload));
                    break;
                case IdMember when reader.TokenType == JsonTokenType.Null:
                    break;
                case VersionMember when reader.TokenType == JsonTokenType.String && reader.ValueTextEquals("2.0"u8):
                    break;
                case MethodMember when reader.TokenType == JsonTokenType.String:
                    name = Value(ref reader, payload);
                    break;
                case ParamsMember when reader.TokenType == JsonTokenType.StartArray:
                    if (!reader.Read() || reader.TokenType != JsonTokenType.String)
                    {
                        return false;
                    }

                    argument = Value(ref reader, payload);
                    if (!reader.Read() || reader.TokenType != JsonTokenType.EndArray)
                    {
                        return false;
                    }

                    break;
                case OtherMember:
                    reader.Skip();
                    break;
                default:
                    return false;
            }
        }

        const int Required = VersionMember | MethodMember | ParamsMember;
        if ((seen & Required) != Required || !TryGetMethod(methods, name.Span, out var method))
        {
            return false;
        }

        request = new WriteRequest((seen & IdMember) != 0, id, method, name, argument);
        return true;
    }

    private static int Member(ref Utf8JsonReader reader) =>
        reader.ValueTextEquals("id"u8) ? IdMember :
        reader.ValueTextEquals("jsonrpc"u8) ? VersionMember :
        reader.ValueTextEquals("method"u8) ? MethodMember :
        reader.ValueTextEquals("params"u8) ? ParamsMember :
        OtherMember;

    /// <summary>The current string's bytes with the quotes off, or the current number's text.</summary>
    private static ReadOnlyMemory<byte> Value(ref Utf8JsonReader reader, ReadOnlyMemory<byte> payload)
    {
        var start = (int)reader.TokenStartIndex + (reader.TokenType == JsonTokenType.String ? 1 : 0);
        return payload.Slice(start, reader.ValueSpan.Length);
    }

    /// <summary>A OneString method by its ASCII name, widened on the stack for the table's char lookup.</summary>
    private static bool TryGetMethod(RpcMethodTable methods, ReadOnlySpan<byte> name, out RpcMethod method)
    {
        method = null!;
        if (name.Length > MaxName)
        {
            return false;
        }

        Span<char> chars = stackalloc char[MaxName];
        return Encoding.ASCII.TryGetChars(name, chars, out var written) && methods.TryGetOneString(chars[..written], out method);
    }
}
