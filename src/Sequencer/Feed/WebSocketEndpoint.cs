using Microsoft.Extensions.Options;
using Microsoft.IO;
using Sequencer.Options;
using Sequencer.Rpc;

namespace Sequencer.Feed;

/// <summary>
/// JSON-RPC over WebSocket at /ws, with subscriptions. Before a socket is accepted: browser pages of
/// other origins are refused (403), and the connections in total (503) and per client address (429) are
/// bounded. Each connection's own bounds are in <see cref="WebSocketLimits"/>.
/// </summary>
internal sealed class WebSocketEndpoint(JsonRpcProcessor processor, FeedHub feed, RecyclableMemoryStreamManager buffers, IOptions<SequencerOptions> options)
{
    private readonly WebSocketSlots _slots = new(options.Value.Rpc.MaxWebSocketConnections, options.Value.Rpc.MaxWebSocketConnectionsPerAddress);
    private readonly string[] _allowedOrigins = options.Value.Rpc.WebSocketAllowedOrigins ?? [];
    private readonly WebSocketLimits _limits = new(
        options.Value.Rpc.MaxRequestBytes,
        options.Value.Rpc.WebSocketMaxQueuedBytes,
        options.Value.Feed.SubscriberBuffer,
        options.Value.Rpc.MaxSubscriptionsPerConnection,
        TimeSpan.FromMilliseconds(options.Value.Rpc.WebSocketIdleTimeoutMs));

    public async Task HandleAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            await RefuseAsync(context, StatusCodes.Status400BadRequest, "expected a WebSocket upgrade; JSON-RPC over HTTP is served at POST /").ConfigureAwait(false);
            return;
        }

        if (!OriginAllowed(context.Request))
        {
            // A browser sends the page's origin; without this check any page could use the visitor's login session here.
            await RefuseAsync(context, StatusCodes.Status403Forbidden,
                $"origin {RpcText.Shorten(context.Request.Headers.Origin.ToString(), 100)} may not open /ws (Sequencer:Rpc:WebSocketAllowedOrigins)").ConfigureAwait(false);
            return;
        }

        using var slot = _slots.TryTake(context.Connection.RemoteIpAddress, out var status, out var refusal);
        if (slot is null)
        {
            await RefuseAsync(context, status, refusal).ConfigureAwait(false);
            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
        var connection = new FeedConnection(context, socket, _limits, buffers);
        feed.Register(connection);
        try
        {
            await connection.RunAsync(processor).ConfigureAwait(false);
        }
        finally
        {
            feed.Unregister(connection);
        }
    }

    /// <summary>
    /// No Origin (a non-browser client), this host's own (same host and port; the scheme may differ behind
    /// a TLS proxy), or one of the configured origins ("*": any).
    /// </summary>
    private bool OriginAllowed(HttpRequest request)
    {
        var origin = request.Headers.Origin.ToString();
        if (origin.Length == 0)
        {
            return true;
        }

        if (Uri.TryCreate(origin, UriKind.Absolute, out var uri) && request.Host.HasValue &&
            string.Equals(uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        foreach (var allowed in _allowedOrigins)
        {
            if (allowed == "*" || string.Equals(allowed, origin, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static async Task RefuseAsync(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        await context.Response.WriteAsync(message).ConfigureAwait(false);
    }
}
