using Microsoft.Extensions.Options;
using Sequencer.Feed;
using Sequencer.Hosting;

namespace Sequencer.Rpc;

/// <summary>JSON-RPC over WebSocket at /ws, with subscriptions. The number of connections is bounded.</summary>
internal sealed class WebSocketEndpoint(JsonRpcProcessor processor, FeedHub feed, IOptions<SequencerOptions> options)
{
    private readonly RpcOptions _rpc = options.Value.Rpc;
    private readonly int _buffer = options.Value.Feed.SubscriberBuffer;
    private int _open;

    public async Task HandleAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsync("expected a WebSocket upgrade; JSON-RPC over HTTP is served at POST /").ConfigureAwait(false);
            return;
        }

        if (Interlocked.Increment(ref _open) > _rpc.MaxWebSocketConnections)
        {
            Interlocked.Decrement(ref _open);
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            await context.Response.WriteAsync($"too many WebSocket connections (limit {_rpc.MaxWebSocketConnections})").ConfigureAwait(false);
            return;
        }

        try
        {
            using var socket = await context.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
            var connection = new FeedConnection(context, socket, _buffer, _rpc.MaxSubscriptionsPerConnection);
            feed.Register(connection);
            try
            {
                await connection.RunAsync(processor, _rpc.MaxRequestBytes).ConfigureAwait(false);
            }
            finally
            {
                feed.Unregister(connection);
            }
        }
        finally
        {
            Interlocked.Decrement(ref _open);
        }
    }
}
