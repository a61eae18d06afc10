using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Microsoft.IO;

namespace Sequencer.Rpc;

/// <summary>
/// JSON-RPC 2.0 framing shared by HTTP and WebSocket: parses a single request or a batch, checks the
/// envelope, dispatches, and writes the response(s) into a pooled buffer of at most maxResponseBytes of
/// results. Client mistakes become error responses; only a bug in a method becomes -32603.
/// </summary>
/// <remarks>
/// Two ways in: the transaction sends in their plain form are read straight from the request's bytes
/// (<see cref="WriteRequestReader"/>, no document: issue 16); everything else goes through a <see cref="JsonDocument"/>
/// (JsonRpcProcessor.Document.cs), which also gives every error message.
/// </remarks>
public sealed partial class JsonRpcProcessor(RpcMethodTable methods, int maxBatchSize, int maxResponseBytes, ILogger<JsonRpcProcessor> logger)
{

    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 64 };

    private readonly RpcError _tooLarge = RpcError.Limit(
        $"response too large: the reply would pass {maxResponseBytes} bytes (Sequencer:Rpc:MaxResponseBytes); ask for less in one call or batch",
        "response_too_large",
        0);

    /// <summary>
    /// Processes one payload into <paramref name="output"/> (empty on entry). Returns false when nothing is
    /// to be sent back (only notifications). Never throws for anything a client sent.
    /// </summary>
    // Pooled frames: one per transaction per async layer was among the write path's largest allocations (issue 16);
    // every caller awaits the result once, which is all a pooled ValueTask allows.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
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
            RpcReplyWriter.Write(output, ReplyId.Null, new RpcError(RpcErrorCodes.Internal, "internal error"));
            return true;
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<bool> DispatchAsync(ReadOnlySequence<byte> payload, RecyclableMemoryStream output, RpcTransport transport, CancellationToken aborted)
    {
        var checkText = RequestText.NeedsCheck(payload);
        if (!checkText)
        {
            // The reader needs the request in one piece; a body that arrived in several pipe segments is copied into
            // a pooled array, kept until the reply is written (the calls read their params from it).
            byte[]? rented = null;
            var bytes = payload.First;
            if (!payload.IsSingleSegment)
            {
                rented = ArrayPool<byte>.Shared.Rent((int)payload.Length);
                payload.CopyTo(rented);
                bytes = rented.AsMemory(0, (int)payload.Length);
            }

            try
            {
                if (WriteRequestReader.TryRead(bytes, methods, maxBatchSize, out var single, out var batch, out var count, out var malformed))
                {
                    if (batch is not null)
                    {
                        return await AnswerBatchAsync(batch, count, output, transport, aborted).ConfigureAwait(false);
                    }

                    // Awaited here rather than through CallAsync: one async frame less per transaction.
                    RpcResult result;
                    try
                    {
                        result = await single.Method(new RpcCall(RpcParams.OneString(single.Argument), transport, aborted)).ConfigureAwait(false);
                    }
                    catch (Exception ex)
                    {
                        result = Failed(ex, aborted, default, single.Name);
                    }

                    return Reply(output, single.HasId, single.Id, result);
                }

                if (malformed is not null)
                {
                    // The reader met the payload's first syntax error as the document's parser would (same reader, same
                    // options, same bytes in order), so the message is the same, without parsing a second time.
                    return ParseError(output, malformed);
                }
            }
            finally
            {
                if (rented is not null)
                {
                    ArrayPool<byte>.Shared.Return(rented);
                }
            }
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(payload, DocumentOptions);
        }
        catch (JsonException ex)
        {
            return ParseError(output, ex);
        }

        using (document)
        {
            var root = document.RootElement;
            switch (root.ValueKind)
            {
                case JsonValueKind.Object:
                {
                    var call = await InvokeAsync(root, checkText, transport, aborted).ConfigureAwait(false);
                    return Reply(output, call.HasId, ReplyId.Of(call.Id), call.Result);
                }


                case JsonValueKind.Array:
                    return await ProcessBatchAsync(root, checkText, output, transport, aborted).ConfigureAwait(false);
                default:
                    RpcReplyWriter.Write(output, ReplyId.Null, new RpcError(RpcErrorCodes.InvalidRequest, "invalid request: expected a JSON object or an array of them"));
                    return true;
            }
        }
    }

    private static bool ParseError(RecyclableMemoryStream output, JsonException error)
    {
        RpcReplyWriter.Write(output, ReplyId.Null, new RpcError(RpcErrorCodes.ParseError, ParseErrorText.Of(error)));
        return true;
    }

    /// <summary>One request's reply, unless it was a notification; false when there is nothing to send.</summary>
    private bool Reply(RecyclableMemoryStream output, bool hasId, ReplyId id, RpcResult result)
    {
        if (!hasId)
        {
            return false;
        }

        RpcReplyWriter.Write(output, id, result);
        if (output.Length > maxResponseBytes)
        {
            output.SetLength(0);
            RpcReplyWriter.Write(output, id, _tooLarge);
        }

        return true;
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<bool> ProcessBatchAsync(JsonElement batch, bool checkText, RecyclableMemoryStream output, RpcTransport transport, CancellationToken aborted)
    {
        var count = batch.GetArrayLength();
        if (count == 0)
        {
            RpcReplyWriter.Write(output, ReplyId.Null, new RpcError(RpcErrorCodes.InvalidRequest, "invalid request: empty batch"));
            return true;
        }

        if (count > maxBatchSize)
        {
            RpcReplyWriter.Write(output, ReplyId.Null, new RpcError(RpcErrorCodes.InvalidRequest, $"invalid request: batch of {count} requests exceeds the limit of {maxBatchSize}"));
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
        var wroteAny = false;
        var full = false;
        for (i = 0; i < count; i++)
        {
            var call = await pending[i].ConfigureAwait(false);
            pending[i] = default;
            if (call.HasId)
            {
                AppendToBatch(output, ref wroteAny, ref full, ReplyId.Of(call.Id), call.Result);
            }
        }

        return EndBatch(output, wroteAny);
    }

    /// <summary>
    /// A batch read by <see cref="WriteRequestReader"/>: only results are pending (the ids stay in the reader's pooled
    /// array, which goes back once every call has ended), a smaller array than the document path's.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<bool> AnswerBatchAsync(WriteRequest[] batch, int count, RecyclableMemoryStream output, RpcTransport transport, CancellationToken aborted)
    {
        try
        {
#pragma warning disable CA2012 // Kept to start every call at once; each is awaited exactly once below.
            var pending = new ValueTask<RpcResult>[count];
            for (var i = 0; i < count; i++)
            {
                pending[i] = ResultAsync(batch[i], transport, aborted);
            }
#pragma warning restore CA2012

            var wroteAny = false;
            var full = false;
            for (var i = 0; i < count; i++)
            {
                var result = await pending[i].ConfigureAwait(false);
                pending[i] = default;
                if (batch[i].HasId)
                {
                    AppendToBatch(output, ref wroteAny, ref full, batch[i].Id, result);
                }
            }

            return EndBatch(output, wroteAny);
        }
        finally
        {
            WriteRequestReader.Return(batch);
        }
    }

    /// <summary>One reply of a batch's array, or response_too_large once the replies have reached maxResponseBytes.</summary>
    private void AppendToBatch(RecyclableMemoryStream output, ref bool wroteAny, ref bool full, ReplyId id, RpcResult result)
    {
        var start = output.Length;
        output.WriteByte(wroteAny ? (byte)',' : (byte)'[');
        wroteAny = true;
        if (!full)
        {
            RpcReplyWriter.Write(output, id, result);
            if (output.Length < maxResponseBytes)
            {
                return;
            }

            full = true;
            output.SetLength(start + 1);
        }

        RpcReplyWriter.Write(output, id, _tooLarge);
    }

    private static bool EndBatch(RecyclableMemoryStream output, bool wroteAny)
    {
        if (wroteAny)
        {
            output.WriteByte((byte)']');
        }

        return wroteAny;
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<RpcResult> ResultAsync(WriteRequest request, RpcTransport transport, CancellationToken aborted)
    {
        try
        {
            return await request.Method(new RpcCall(RpcParams.OneString(request.Argument), transport, aborted)).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            return Failed(ex, aborted, default, request.Name);
        }
    }

    /// <summary>
    /// Calls a method whose request passed every check. The name (an element, or ASCII bytes on the write path) only
    /// becomes a string if the method fails.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<Invocation> CallAsync(bool hasId, JsonElement id, RpcMethod method, RpcCall call, JsonElement nameElement, ReadOnlyMemory<byte> nameAscii)
    {
        try
        {
            return new(hasId, id, await method(call).ConfigureAwait(false));
        }
        catch (Exception ex)
        {
            return new(hasId, id, Failed(ex, call.Aborted, nameElement, nameAscii));
        }
    }

    /// <summary>What a method's exception answers: the client's own abort, or -32603 naming the method (and logged).</summary>
    private RpcError Failed(Exception exception, CancellationToken aborted, JsonElement nameElement, ReadOnlyMemory<byte> nameAscii)
    {
        if (exception is OperationCanceledException && aborted.IsCancellationRequested)
        {
            return new RpcError(RpcErrorCodes.Internal, "request aborted by the client");
        }

        var name = nameAscii.IsEmpty ? nameElement.GetString()! : Encoding.ASCII.GetString(nameAscii.Span);
        LogMethodFailed(exception, name);
        return new RpcError(RpcErrorCodes.Internal, $"internal error in {name}");
    }

    [LoggerMessage(EventId = 10, Level = LogLevel.Error, Message = "JSON-RPC method {Method} failed")]
    private partial void LogMethodFailed(Exception exception, string method);

    [LoggerMessage(EventId = 11, Level = LogLevel.Error, Message = "JSON-RPC framing failed; answered -32603")]
    private partial void LogFramingFailed(Exception exception);

    /// <summary>
    /// One document-path call's outcome: whether it wants a reply, the id element to echo (default: null), and the
    /// result. The id stays an element here (not a <see cref="ReplyId"/>): a batch keeps one of these per request.
    /// </summary>
    private readonly record struct Invocation(bool HasId, JsonElement Id, RpcResult Result);
}
