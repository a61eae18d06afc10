namespace Sequencer.Rpc;

/// <summary>
/// A copy of a WebSocket's upgrade request, made for each call over the socket that authenticates. Once
/// the socket is accepted the upgrade's response has started, and authentication that touches the
/// response throws there (the session cookie handler registers Response.OnStarting on every
/// authenticate: "OnStarting cannot be set because the response has already started"). A call
/// authenticates against a fresh copy instead, in a service scope of its own (authentication handlers
/// are scoped and remember their first result), with the credentials the socket was opened with, so that
/// a session that expires or is revoked stops working on an open socket too. Its response goes nowhere.
/// </summary>
internal static class DetachedRequest
{
    public static HttpContext Of(HttpContext upgrade, IServiceProvider services)
    {
        var copy = new DefaultHttpContext
        {
            RequestServices = services,
            TraceIdentifier = upgrade.TraceIdentifier,
            RequestAborted = upgrade.RequestAborted,
        };
        var from = upgrade.Request;
        var request = copy.Request;
        foreach (var (name, value) in from.Headers)
        {
            request.Headers[name] = value;
        }

        // Each call over the socket is a JSON-RPC request; the upgrade itself was a GET without a body.
        request.Method = HttpMethods.Post;
        request.ContentType = "application/json";
        request.Scheme = from.Scheme;
        request.Host = from.Host;
        request.PathBase = from.PathBase;
        request.Path = from.Path;
        request.Protocol = from.Protocol;
        var connection = upgrade.Connection;
        copy.Connection.RemoteIpAddress = connection.RemoteIpAddress;
        copy.Connection.RemotePort = connection.RemotePort;
        copy.Connection.LocalIpAddress = connection.LocalIpAddress;
        copy.Connection.LocalPort = connection.LocalPort;
        return copy;
    }
}
