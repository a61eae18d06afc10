using System.Buffers;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Sequencer.Execution;

/// <summary>
/// JSON-RPC over HTTP to the execution node: one pooled handler with a bounded number of connections,
/// a timeout per call, and errors that say whether the node is down or refused the call.
/// </summary>
/// <remarks>
/// Nethereum's RPC client would deserialize every result into typed objects; the proxy must pass the
/// node's JSON through untouched (including revert data), so this client keeps results as JSON.
/// </remarks>
public sealed class ExecutionNodeClient : IDisposable
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");
    private readonly HttpClient _http;
    private readonly Uri _url;
    private readonly Func<string>? _bearerToken;
    private long _id;

    /// <summary>A client of one node; <paramref name="bearerToken"/> (the Engine API JWT) is asked for per request.</summary>
    public ExecutionNodeClient(Uri url, int maxConnections, TimeSpan timeout, Func<string>? bearerToken = null)
    {
        _url = url;
        _bearerToken = bearerToken;
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = maxConnections,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
            ConnectTimeout = timeout,
            AutomaticDecompression = DecompressionMethods.None,
        };
        _http = new HttpClient(handler) { Timeout = timeout };
    }

    public Uri Url => _url;

    /// <summary>Calls <paramref name="method"/> and returns its result (detached from the response document).</summary>
    /// <exception cref="ExecutionNodeUnavailableException">No answer, a timeout, or not a JSON-RPC answer.</exception>
    /// <exception cref="ExecutionNodeErrorException">The node answered with an error object.</exception>
    public async Task<JsonElement> CallAsync(string method, Action<Utf8JsonWriter> writeParams, CancellationToken cancellationToken)
    {
        using var document = await SendAsync(method, writeParams, cancellationToken).ConfigureAwait(false);
        var root = document.RootElement;
        if (root.TryGetProperty("error"u8, out var error) && error.ValueKind == JsonValueKind.Object)
        {
            var code = error.TryGetProperty("code"u8, out var c) && c.TryGetInt32(out var n) ? n : 0;
            var message = error.TryGetProperty("message"u8, out var m) && m.ValueKind == JsonValueKind.String ? m.GetString()! : "(no message)";
            JsonElement? data = error.TryGetProperty("data"u8, out var d) ? d.Clone() : null;
            throw new ExecutionNodeErrorException(method, code, message, data);
        }

        return root.TryGetProperty("result"u8, out var result) ? result.Clone() : default;
    }

    /// <summary>Calls with positional params given as one raw JSON array (what a proxied request carried).</summary>
    public Task<JsonElement> CallAsync(string method, JsonElement parameters, CancellationToken cancellationToken) =>
        CallAsync(method, writer =>
        {
            if (parameters.ValueKind == JsonValueKind.Array)
            {
                parameters.WriteTo(writer);
            }
            else
            {
                writer.WriteStartArray();
                writer.WriteEndArray();
            }
        }, cancellationToken);

    public Task<JsonElement> CallAsync(string method, CancellationToken cancellationToken, params string[] stringParams) =>
        CallAsync(method, writer =>
        {
            writer.WriteStartArray();
            foreach (var value in stringParams)
            {
                writer.WriteStringValue(value);
            }

            writer.WriteEndArray();
        }, cancellationToken);

    private async Task<JsonDocument> SendAsync(string method, Action<Utf8JsonWriter> writeParams, CancellationToken cancellationToken)
    {
        var body = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(body))
        {
            writer.WriteStartObject();
            writer.WriteString("jsonrpc"u8, "2.0"u8);
            writer.WriteNumber("id"u8, Interlocked.Increment(ref _id));
            writer.WriteString("method"u8, method);
            writer.WritePropertyName("params"u8);
            writeParams(writer);
            writer.WriteEndObject();
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, _url);
        request.Content = new ReadOnlyMemoryContent(body.WrittenMemory);
        request.Content.Headers.ContentType = Json;
        if (_bearerToken is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _bearerToken());
        }

        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            {
                throw new ExecutionNodeUnavailableException($"{method}: the execution node refused our credentials (HTTP {(int)response.StatusCode}); check the JWT secret");
            }

            if (!response.IsSuccessStatusCode)
            {
                throw new ExecutionNodeUnavailableException($"{method}: the execution node answered HTTP {(int)response.StatusCode}");
            }

            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            var document = await JsonDocument.ParseAsync(stream, default, cancellationToken).ConfigureAwait(false);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                document.Dispose();
                throw new ExecutionNodeUnavailableException($"{method}: the execution node's answer is not a JSON-RPC object");
            }

            return document;
        }
        catch (HttpRequestException ex)
        {
            throw new ExecutionNodeUnavailableException($"{method}: execution node unreachable ({ex.HttpRequestError})", ex);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ExecutionNodeUnavailableException($"{method}: execution node did not answer within {_http.Timeout.TotalMilliseconds:0} ms", ex);
        }
        catch (JsonException ex)
        {
            throw new ExecutionNodeUnavailableException($"{method}: the execution node's answer is not valid JSON", ex);
        }
        catch (IOException ex)
        {
            throw new ExecutionNodeUnavailableException($"{method}: connection to the execution node failed", ex);
        }
    }

    public void Dispose() => _http.Dispose();
}
