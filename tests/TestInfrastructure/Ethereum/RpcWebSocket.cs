using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace TestInfrastructure.Ethereum;

/// <summary>
/// A raw JSON-RPC WebSocket client for tests that must see the exact wire: replies, notifications,
/// close status and reason. Every receive has a generous timeout so that a broken server fails the test
/// instead of hanging it.
/// </summary>
public sealed class RpcWebSocket : IDisposable
{
    private static readonly TimeSpan ReceiveTimeout = TimeSpan.FromSeconds(60);

    private RpcWebSocket(ClientWebSocket socket) => Socket = socket;

    public ClientWebSocket Socket { get; }

    /// <summary>Connects; <paramref name="configure"/> may set headers (Origin, Cookie, Authorization) or cookies.</summary>
    public static async Task<RpcWebSocket> ConnectAsync(Uri url, Action<ClientWebSocketOptions>? configure = null)
    {
        var socket = new ClientWebSocket();
        configure?.Invoke(socket.Options);
        try
        {
            using var timeout = new CancellationTokenSource(ReceiveTimeout);
            await socket.ConnectAsync(url, timeout.Token);
            return new RpcWebSocket(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Connects with a small, fixed TCP receive buffer: a client that does not read then stops the server's
    /// data after a few KB, as a slow client on a real network does, instead of the megabytes a loopback
    /// connection buffers.
    /// </summary>
    public static async Task<RpcWebSocket> ConnectWithSmallReceiveBufferAsync(Uri url, int receiveBufferBytes = 4096)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, cancellationToken) =>
            {
                var tcp = new Socket(SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = receiveBufferBytes, NoDelay = true };
                try
                {
                    await tcp.ConnectAsync(context.DnsEndPoint, cancellationToken);
                    return new NetworkStream(tcp, ownsSocket: true);
                }
                catch
                {
                    tcp.Dispose();
                    throw;
                }
            },
        };
        var socket = new ClientWebSocket();
        try
        {
            using var timeout = new CancellationTokenSource(ReceiveTimeout);
            await socket.ConnectAsync(url, new HttpMessageInvoker(handler), timeout.Token);
            return new RpcWebSocket(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>The HTTP status with which the server refused the upgrade, or null when it accepted it.</summary>
    public static async Task<HttpStatusCode?> RefusalOfAsync(Uri url, Action<ClientWebSocketOptions>? configure = null)
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        configure?.Invoke(socket.Options);
        try
        {
            using var timeout = new CancellationTokenSource(ReceiveTimeout);
            await socket.ConnectAsync(url, timeout.Token);
            return null;
        }
        catch (WebSocketException)
        {
            return socket.HttpStatusCode;
        }
    }

    public Task SendAsync(string text) => SendAsync(Encoding.UTF8.GetBytes(text));

    /// <summary>Sends one message, as a text frame unless <paramref name="type"/> says binary.</summary>
    public async Task SendAsync(byte[] utf8, WebSocketMessageType type = WebSocketMessageType.Text)
    {
        using var timeout = new CancellationTokenSource(ReceiveTimeout);
        await Socket.SendAsync(utf8, type, true, timeout.Token);
    }

    /// <summary>Sends a call with a numeric id and returns the reply with that id (notifications in between are skipped).</summary>
    public async Task<JsonElement> CallAsync(int id, string method, string parametersJson = "[]")
    {
        await SendAsync($"{{\"jsonrpc\":\"2.0\",\"id\":{id},\"method\":\"{method}\",\"params\":{parametersJson}}}");
        return await ReceiveReplyAsync(id);
    }

    /// <summary>Subscribes and returns the subscription id.</summary>
    public async Task<string> SubscribeAsync(string kind)
    {
        await SendAsync($"{{\"jsonrpc\":\"2.0\",\"id\":\"sub-{kind}\",\"method\":\"eth_subscribe\",\"params\":[\"{kind}\"]}}");
        while (true)
        {
            var message = await ReceiveAsync();
            if (message.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String && id.GetString() == "sub-" + kind)
            {
                return message.GetProperty("result").GetString()!;
            }
        }
    }

    public async Task<JsonElement> ReceiveReplyAsync(int id)
    {
        while (true)
        {
            var message = await ReceiveAsync();
            if (message.TryGetProperty("id", out var got) && got.ValueKind == JsonValueKind.Number && got.GetInt32() == id)
            {
                return message;
            }
        }
    }

    /// <summary>The next whole message as JSON; throws if the server closes instead.</summary>
    public async Task<JsonElement> ReceiveAsync()
    {
        var (message, close) = await ReceiveMessageAsync();
        return message ?? throw new InvalidOperationException($"the server closed the connection: {close}");
    }

    /// <summary>Reads (and drops) everything until the close frame; returns its status and reason, or how the connection ended without one.</summary>
    public async Task<WebSocketEnd> DrainUntilClosedAsync()
    {
        try
        {
            while (true)
            {
                var (_, close) = await ReceiveMessageAsync();
                if (close is not null)
                {
                    return close;
                }
            }
        }
        catch (WebSocketException ex)
        {
            // No close frame: what a client sees as close code 1006 (abnormal closure).
            return new WebSocketEnd(null, "aborted: " + ex.Message);
        }
    }

    public void Dispose() => Socket.Dispose();

    private async Task<(JsonElement? Message, WebSocketEnd? Close)> ReceiveMessageAsync()
    {
        using var timeout = new CancellationTokenSource(ReceiveTimeout);
        var buffer = new byte[1 << 16];
        using var stream = new MemoryStream();
        WebSocketReceiveResult result;
        do
        {
            result = await Socket.ReceiveAsync(buffer, timeout.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return (null, new WebSocketEnd(result.CloseStatus, result.CloseStatusDescription ?? string.Empty));
            }

            await stream.WriteAsync(buffer.AsMemory(0, result.Count), timeout.Token);
        }
        while (!result.EndOfMessage);

        return (JsonDocument.Parse(stream.ToArray()).RootElement, null);
    }
}

/// <summary>How a WebSocket connection ended: the close frame's status and reason, or no status when it was cut without one.</summary>
public sealed record WebSocketEnd(WebSocketCloseStatus? Status, string Reason)
{
    public override string ToString() => $"{(Status is { } status ? ((int)status).ToString() : "no close frame (1006)")} {Reason}";
}
