using System.IO.Pipelines;
using Microsoft.Extensions.Options;
using Microsoft.IO;
using Sequencer.Options;

namespace Sequencer.Rpc;

/// <summary>
/// JSON-RPC over HTTP POST: the body is bounded and read from the request pipe without a copy; the reply is built
/// in a pooled buffer first (so that Content-Length is known and a failure can still change the status), then
/// copied into the response pipe.
/// </summary>
internal sealed class JsonRpcHttpEndpoint(JsonRpcProcessor processor, RecyclableMemoryStreamManager buffers, IOptions<SequencerOptions> options)
{
    private readonly int _maxBytes = options.Value.Rpc.MaxRequestBytes;

    public async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var response = context.Response;
        if (request.ContentLength > _maxBytes)
        {
            await WriteTooLargeAsync(response, request.ContentLength.Value.ToString()).ConfigureAwait(false);
            return;
        }

        var reader = request.BodyReader;
        ReadResult read;
        while (true)
        {
            read = await reader.ReadAsync(context.RequestAborted).ConfigureAwait(false);
            if (read.Buffer.Length > _maxBytes)
            {
                reader.AdvanceTo(read.Buffer.Start, read.Buffer.End);
                await WriteTooLargeAsync(response, "more than " + _maxBytes).ConfigureAwait(false);
                return;
            }

            if (read.IsCompleted)
            {
                break;
            }

            reader.AdvanceTo(read.Buffer.Start, read.Buffer.End);
        }

        response.ContentType = "application/json";
        var transport = new RpcTransport(context);
        using var body = buffers.GetStream("http-reply");
        bool respond;
        try
        {
            respond = await processor.ProcessAsync(read.Buffer, body, transport, context.RequestAborted).ConfigureAwait(false);
        }
        finally
        {
            reader.AdvanceTo(read.Buffer.End);
        }

        if (!respond)
        {
            response.StatusCode = StatusCodes.Status204NoContent;
            return;
        }

        response.ContentLength = body.Length;
        foreach (var block in body.GetReadOnlySequence())
        {
            await response.BodyWriter.WriteAsync(block, context.RequestAborted).ConfigureAwait(false);
        }
    }

    private async Task WriteTooLargeAsync(HttpResponse response, string size)
    {
        response.StatusCode = StatusCodes.Status413PayloadTooLarge;
        response.ContentType = "application/json";
        var message = $"request body too large: {size} bytes (limit {_maxBytes})";
        await response.WriteAsync(
            $$$"""{"jsonrpc":"2.0","id":null,"error":{"code":{{{RpcErrorCodes.InvalidRequest}}},"message":"{{{message}}}"}}""").ConfigureAwait(false);
    }
}
