using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace TestInfrastructure.Ethereum;

/// <summary>A raw JSON-RPC client for tests that must see the exact wire: codes, messages, HTTP status.</summary>
/// <param name="url">The JSON-RPC endpoint.</param>
/// <param name="timeout">Deadline of one call (60 s unless given).</param>
public sealed class RpcTestClient(Uri url, TimeSpan? timeout = null) : IDisposable
{
    private readonly HttpClient _http = new() { Timeout = timeout ?? TimeSpan.FromSeconds(60) };
    private int _id;

    public Uri Url { get; } = url;

    /// <summary>Calls a method; returns the response's "result" or "error" object with <see cref="RpcResponse"/>.</summary>
    public async Task<RpcResponse> CallAsync(string method, params object?[] parameters)
    {
        var request = new JsonObject
        {
            ["jsonrpc"] = "2.0",
            ["id"] = Interlocked.Increment(ref _id),
            ["method"] = method,
            ["params"] = JsonSerializer.SerializeToNode(parameters),
        };
        var (status, body) = await PostAsync(request.ToJsonString());
        if (status != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"{method}: HTTP {(int)status}: {body}");
        }

        return RpcResponse.Parse(body);
    }

    /// <summary>Calls a method that must succeed and returns its result.</summary>
    public async Task<JsonElement> ResultAsync(string method, params object?[] parameters)
    {
        var response = await CallAsync(method, parameters);
        if (response.Error is { } error)
        {
            throw new InvalidOperationException($"{method} failed: {error.GetRawText()}");
        }

        return response.Result;
    }

    public async Task<(HttpStatusCode Status, string Body)> PostAsync(string body)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await _http.PostAsync(Url, content);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Posts raw bytes (e.g. invalid UTF-8 that a string cannot carry).</summary>
    public async Task<(HttpStatusCode Status, string Body)> PostAsync(byte[] body)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var response = await _http.PostAsync(Url, content);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public void Dispose() => _http.Dispose();
}

/// <summary>One JSON-RPC response.</summary>
public sealed record RpcResponse(JsonElement Result, JsonElement? Error)
{
    public int ErrorCode => Error?.GetProperty("code").GetInt32() ?? 0;

    public string ErrorMessage => Error?.GetProperty("message").GetString() ?? string.Empty;

    public static RpcResponse Parse(string body)
    {
        var root = JsonDocument.Parse(body).RootElement;
        return root.TryGetProperty("error", out var error)
            ? new RpcResponse(default, error)
            : new RpcResponse(root.GetProperty("result"), null);
    }
}
