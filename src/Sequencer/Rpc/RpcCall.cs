using System.Net;
using System.Text.Json;

namespace Sequencer.Rpc;

/// <summary>One method call: its params and where it came from.</summary>
public sealed class RpcCall(RpcParams parameters, RpcTransport transport, CancellationToken aborted)
{
    public RpcCall(JsonElement parameters, RpcTransport transport, CancellationToken aborted)
        : this(new RpcParams(parameters), transport, aborted)
    {
    }

    public RpcParams Params { get; } = parameters;

    public RpcTransport Transport { get; } = transport;

    public CancellationToken Aborted { get; } = aborted;

    /// <summary>The HTTP request this call came in on (for a WebSocket call: the upgrade request).</summary>
    public Microsoft.AspNetCore.Http.HttpContext? HttpContext => Transport.HttpContext;

    public IPAddress? ClientAddress => Transport.HttpContext?.Connection.RemoteIpAddress;
}

/// <summary>The connection a call arrived on. WebSocket connections carry their subscriptions.</summary>
public class RpcTransport(Microsoft.AspNetCore.Http.HttpContext? httpContext)
{
    /// <summary>The HTTP request (for a WebSocket: the upgrade request, whose response has started).</summary>
    public Microsoft.AspNetCore.Http.HttpContext? HttpContext { get; } = httpContext;

    public virtual Feed.FeedConnection? WebSocket => null;

    /// <summary>The request to authenticate one call against (null without one); dispose it after the call.</summary>
    public virtual CallRequest? RequestForAuthentication() => HttpContext is { } context ? new CallRequest(context, null) : null;
}

/// <summary>A request to authenticate a call against, and the service scope made for it, if any.</summary>
public readonly struct CallRequest(Microsoft.AspNetCore.Http.HttpContext context, IAsyncDisposable? scope) : IAsyncDisposable
{
    public Microsoft.AspNetCore.Http.HttpContext Context => context;

    public ValueTask DisposeAsync() => scope?.DisposeAsync() ?? ValueTask.CompletedTask;
}
