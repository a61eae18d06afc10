using System.Net;
using System.Net.Http.Headers;
using DaClient.Retry;
using Microsoft.Extensions.Logging;

namespace DaClient.Proxy;

/// <summary>
/// eigenda-proxy's REST API: <c>POST /put</c>, <c>GET /get/0x…</c>, <c>GET /health</c>. Status handling follows
/// the proxy's contract: 503 = fail over now (no retry), 400/413 = bad request (no retry), 418 = invalid
/// certificate (drop), 404 = not found, 429/5xx/timeouts = retry (<see cref="DaRetryPipeline"/>), then
/// <see cref="DaUnavailableReason.RetriesExhausted"/>.
/// </summary>
internal sealed class ProxyTransport : IDaBackend
{
    public const string Service = "eigenda-proxy";

    private static readonly MediaTypeHeaderValue OctetStream = new("application/octet-stream");

    private readonly HttpClient _http;
    private readonly ProxyDaOptions _options;
    private readonly Uri _baseUri;
    private readonly DaRetryPipeline _retry;

    public ProxyTransport(HttpClient http, ProxyDaOptions options, TimeProvider time, DaStatsCollector stats, ILogger? logger)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        _http = http;
        _options = options;
        _baseUri = new Uri(options.BaseUrl.EndsWith('/') ? options.BaseUrl : options.BaseUrl + "/", UriKind.Absolute);
        _retry = new DaRetryPipeline(Service, options.MaxRetries, TimeSpan.FromMilliseconds(options.RetryBaseDelayMs), TimeSpan.FromMilliseconds(options.RetryMaxDelayMs), time, stats, logger);
    }

    public DaCommitmentKind Kind => DaCommitmentKind.EigenDaProxy;

    public async ValueTask<DaResult<DaCommitment>> PutAsync(ReadOnlyMemory<byte> batch, CancellationToken cancellationToken)
    {
        if (batch.Length > _options.MaxBatchBytes)
        {
            return DaFailure.Rejected($"batch of {batch.Length} bytes exceeds the proxy limit of {_options.MaxBatchBytes} bytes");
        }

        var mode = _options.CommitmentMode;
        var path = mode == ProxyCommitmentMode.Standard ? "put?commitment_mode=standard" : "put";
        var sent = await SendAsync(() => new HttpRequestMessage(HttpMethod.Post, new Uri(_baseUri, path)) { Content = Body(batch) }, "put", cancellationToken).ConfigureAwait(false);
        if (!sent.Succeeded)
        {
            return sent.As<DaCommitment>();
        }

        var commitment = sent.Value;
        if (commitment.Length == 0)
        {
            return DaFailure.ProtocolViolation("eigenda-proxy answered POST /put with an empty commitment");
        }

        var body = new byte[commitment.Length + 1];
        body[0] = (byte)mode;
        commitment.CopyTo(body, 1);
        return DaResult<DaCommitment>.Ok(new DaCommitment(DaCommitmentKind.EigenDaProxy, body));
    }

    public async ValueTask<DaResult<ReadOnlyMemory<byte>>> GetAsync(DaCommitment commitment, CancellationToken cancellationToken)
    {
        var body = commitment.Body.Span;
        var mode = (ProxyCommitmentMode)body[0];
        var hex = "get/0x" + Convert.ToHexStringLower(body[1..]);
        string path;
        switch (mode)
        {
            case ProxyCommitmentMode.Standard:
                path = hex + "?commitment_mode=standard";
                break;
            case ProxyCommitmentMode.OptimismGeneric:
                path = hex;
                break;
            default:
                return new DaFailure(DaError.CommitmentFormat, $"unknown eigenda-proxy commitment mode byte 0x{body[0]:x2}");
        }

        var data = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, new Uri(_baseUri, path)), "get", cancellationToken).ConfigureAwait(false);
        return data.Succeeded ? DaResult<ReadOnlyMemory<byte>>.Ok(data.Value) : data.As<ReadOnlyMemory<byte>>();
    }

    public async ValueTask<DaHealth> CheckHealthAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromMilliseconds(Math.Min(_options.RequestTimeoutMs, 5_000)));
        try
        {
            using var response = await _http.GetAsync(new Uri(_baseUri, "health"), timeout.Token).ConfigureAwait(false);
            return response.IsSuccessStatusCode
                ? DaHealth.Healthy($"eigenda-proxy {_options.BaseUrl}")
                : DaHealth.Unhealthy($"eigenda-proxy /health answered {(int)response.StatusCode}");
        }
        catch (HttpRequestException e)
        {
            return DaHealth.Unhealthy($"eigenda-proxy unreachable: {e.Message}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return DaHealth.Unhealthy("eigenda-proxy /health timed out");
        }
    }

    private static HttpContent Body(ReadOnlyMemory<byte> batch)
    {
        var content = new ReadOnlyMemoryContent(batch);
        content.Headers.ContentType = OctetStream;
        return content;
    }

    /// <summary>Sends with a timeout per attempt and retries; the 200 body or a classified failure.</summary>
    private ValueTask<DaResult<byte[]>> SendAsync(Func<HttpRequestMessage> request, string operation, CancellationToken cancellationToken) =>
        _retry.ExecuteAsync(attempt => AttemptAsync(request, operation, attempt), operation, cancellationToken);

    private async ValueTask<DaResult<byte[]>> AttemptAsync(Func<HttpRequestMessage> request, string operation, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromMilliseconds(_options.RequestTimeoutMs));
        try
        {
            using var message = request();
            using var response = await _http.SendAsync(message, HttpCompletionOption.ResponseContentRead, timeout.Token).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return DaResult<byte[]>.Ok(await response.Content.ReadAsByteArrayAsync(timeout.Token).ConfigureAwait(false));
            }

            var detail = await ReadDetailAsync(response, timeout.Token).ConfigureAwait(false);
            return Classify(response.StatusCode, operation, detail);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return DaFailure.Transient($"no answer within {_options.RequestTimeoutMs} ms");
        }
        catch (HttpRequestException e)
        {
            return DaFailure.Transient($"unreachable: {e.Message}", e);
        }
    }

    private static DaFailure Classify(HttpStatusCode status, string operation, string detail)
    {
        var code = (int)status;
        return code switch
        {
            503 => DaFailure.Unavailable(DaUnavailableReason.FailoverRequested, $"eigenda-proxy asks for failover (503) on {operation}: {detail}"),
            418 => DaFailure.CertificateInvalid($"eigenda-proxy reports an invalid certificate (418): {detail}"),
            404 => DaFailure.NotFound($"eigenda-proxy has no blob for this commitment (404): {detail}"),
            408 or 429 or >= 500 => DaFailure.Transient($"HTTP {code}: {detail}"),

            // 400, 413 and every other client error: the request itself is wrong; retrying cannot help.
            _ => DaFailure.Rejected($"eigenda-proxy rejected the {operation} request (HTTP {code}): {detail}"),
        };
    }

    private static async Task<string> ReadDetailAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            return text.Length > 512 ? text[..512] : text;
        }
        catch (HttpRequestException)
        {
            return "(no body)";
        }
    }
}
