using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace LoadGenerator;

/// <summary>Keep-alive HTTP/1.1 JSON-RPC with one pooled connection per concurrent sender task.</summary>
internal sealed class RpcConnection : IDisposable
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");
    private readonly HttpClient _http;
    private readonly Uri _target;

    public RpcConnection(Uri target, int connections)
    {
        _target = target;
        _http = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = connections,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            AutomaticDecompression = DecompressionMethods.None,
            UseProxy = false,
        })
        {
            Timeout = TimeSpan.FromSeconds(60),
            DefaultRequestVersion = HttpVersion.Version11,
        };
    }

    /// <summary>Posts a prepared body; returns null on success or the error text.</summary>
    public async Task<string?> PostAsync(byte[] body)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = Json;
        using var response = await _http.PostAsync(_target, content).ConfigureAwait(false);
        var bytes = await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            return $"HTTP {(int)response.StatusCode}: {Encoding.UTF8.GetString(bytes)}";
        }

        // A successful reply carries "result"; anything else is the error object.
        return bytes.AsSpan().IndexOf("\"error\""u8) < 0 ? null : Encoding.UTF8.GetString(bytes);
    }

    public async Task<JsonElement> CallAsync(string method, params object[] parameters)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object> { ["jsonrpc"] = "2.0", ["id"] = 1, ["method"] = method, ["params"] = parameters });
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = Json;
        using var response = await _http.PostAsync(_target, content).ConfigureAwait(false);
        using var document = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync().ConfigureAwait(false)).ConfigureAwait(false);
        if (document.RootElement.TryGetProperty("error", out var error))
        {
            throw new InvalidOperationException($"{method}: {error}");
        }

        return document.RootElement.GetProperty("result").Clone();
    }

    public void Dispose() => _http.Dispose();
}
