using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using DaClient.Retry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DaClient.Proxy;

/// <summary>
/// REST client of eigenda-proxy: <c>POST /put</c>, <c>GET /get/0x…</c>, <c>GET /health</c>.
/// Status handling follows the proxy's contract: 503 = fail over now (no retry), 400/413 = bad
/// request (no retry), 418 = invalid certificate (drop), 404 = not found, 429/5xx/timeouts =
/// retry with exponential backoff and jitter, then <see cref="DaUnavailableReason.RetriesExhausted"/>.
/// </summary>
public sealed partial class EigenDaProxyClient : IDaClient
{
    private static readonly MediaTypeHeaderValue OctetStream = new("application/octet-stream");

    private readonly HttpClient _http;
    private readonly ProxyDaOptions _options;
    private readonly Uri _baseUri;
    private readonly ExponentialBackoff _backoff;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly DaStatsCollector _stats = new(DaCommitmentKind.EigenDaProxy);

    // The HttpClient's own timeout should be infinite: each attempt has ProxyDaOptions.RequestTimeoutMs.
    public EigenDaProxyClient(HttpClient http, ProxyDaOptions options, TimeProvider? time = null, ILogger<EigenDaProxyClient>? logger = null, Random? jitter = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        _http = http;
        _options = options;
        _baseUri = new Uri(options.BaseUrl.EndsWith('/') ? options.BaseUrl : options.BaseUrl + "/", UriKind.Absolute);
        _backoff = new ExponentialBackoff(TimeSpan.FromMilliseconds(options.RetryBaseDelayMs), TimeSpan.FromMilliseconds(Math.Max(options.RetryBaseDelayMs, options.RetryMaxDelayMs)), jitter);
        _time = time ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    public DaCommitmentKind Kind => DaCommitmentKind.EigenDaProxy;

    public DaStats Stats => _stats.Snapshot();

    public async ValueTask<DaCommitment> PutAsync(ReadOnlyMemory<byte> batch, CancellationToken cancellationToken)
    {
        if (batch.IsEmpty)
        {
            throw new DaRejectedException("an empty batch cannot be dispersed");
        }

        if (batch.Length > _options.MaxBatchBytes)
        {
            throw new DaRejectedException($"batch of {batch.Length} bytes exceeds the proxy limit of {_options.MaxBatchBytes} bytes");
        }

        var mode = _options.CommitmentMode;
        var path = mode == ProxyCommitmentMode.Standard ? "put?commitment_mode=standard" : "put";
        var started = Stopwatch.GetTimestamp();
        byte[] commitment;
        try
        {
            commitment = await SendAsync(
                () => new HttpRequestMessage(HttpMethod.Post, new Uri(_baseUri, path)) { Content = Body(batch) },
                "put",
                cancellationToken).ConfigureAwait(false);
        }
        catch (DaUnavailableException e)
        {
            _stats.PutFailed(failover: true);
            LogFailover(_logger, e.Reason, e.Message);
            throw;
        }
        catch (DaException)
        {
            _stats.PutFailed(failover: false);
            throw;
        }

        if (commitment.Length == 0)
        {
            _stats.PutFailed(failover: false);
            throw new DaException("eigenda-proxy answered POST /put with an empty commitment");
        }

        _stats.PutSucceeded(batch.Length, Stopwatch.GetElapsedTime(started));
        var body = new byte[commitment.Length + 1];
        body[0] = (byte)mode;
        commitment.CopyTo(body, 1);
        return new DaCommitment(DaCommitmentKind.EigenDaProxy, body);
    }

    public async ValueTask<ReadOnlyMemory<byte>> GetAsync(DaCommitment commitment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(commitment);
        if (commitment.Kind != DaCommitmentKind.EigenDaProxy)
        {
            throw new DaRejectedException($"the eigenda-proxy client cannot read a {commitment.Kind} commitment");
        }

        var body = commitment.Body.Span;
        var mode = (ProxyCommitmentMode)body[0];
        var hex = "get/0x" + Convert.ToHexStringLower(body[1..]);
        var path = mode switch
        {
            ProxyCommitmentMode.Standard => hex + "?commitment_mode=standard",
            ProxyCommitmentMode.OptimismGeneric => hex,
            _ => throw new DaCommitmentFormatException($"unknown eigenda-proxy commitment mode byte 0x{body[0]:x2}"),
        };

        var data = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, new Uri(_baseUri, path)), "get", cancellationToken).ConfigureAwait(false);
        _stats.GetSucceeded(data.Length);
        return data;
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

    /// <summary>Sends with per-attempt timeout and retries; returns the 200 body or throws a classified error.</summary>
    private async Task<byte[]> SendAsync(Func<HttpRequestMessage> request, string operation, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            string transientReason;
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                timeout.CancelAfter(TimeSpan.FromMilliseconds(_options.RequestTimeoutMs));
                try
                {
                    using var message = request();
                    using var response = await _http.SendAsync(message, HttpCompletionOption.ResponseContentRead, timeout.Token).ConfigureAwait(false);
                    var status = response.StatusCode;
                    if (status == HttpStatusCode.OK)
                    {
                        return await response.Content.ReadAsByteArrayAsync(timeout.Token).ConfigureAwait(false);
                    }

                    var detail = await ReadDetailAsync(response, timeout.Token).ConfigureAwait(false);
                    transientReason = Classify(status, operation, detail);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    transientReason = $"no answer within {_options.RequestTimeoutMs} ms";
                }
                catch (HttpRequestException e)
                {
                    transientReason = $"unreachable: {e.Message}";
                }
            }

            if (attempt >= _options.MaxRetries)
            {
                throw new DaUnavailableException(
                    DaUnavailableReason.RetriesExhausted,
                    $"eigenda-proxy {operation} failed after {attempt + 1} attempts; last: {transientReason}");
            }

            var delay = _backoff.DelayFor(attempt);
            _stats.Retried();
            LogRetry(_logger, operation, attempt + 1, transientReason, delay.TotalMilliseconds);
            await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Throws for final statuses; returns a description for the ones worth retrying.</summary>
    private static string Classify(HttpStatusCode status, string operation, string detail)
    {
        var code = (int)status;
        switch (code)
        {
            case 503:
                throw new DaUnavailableException(DaUnavailableReason.FailoverRequested, $"eigenda-proxy asks for failover (503) on {operation}: {detail}");
            case 418:
                throw new DaCertificateInvalidException($"eigenda-proxy reports an invalid certificate (418): {detail}");
            case 404:
                throw new DaNotFoundException($"eigenda-proxy has no blob for this commitment (404): {detail}");
            case 408 or 429:
                return $"HTTP {code}: {detail}";
            case >= 500:
                return $"HTTP {code}: {detail}";
            default:
                // 400, 413 and every other client error: the request itself is wrong; retrying cannot help.
                throw new DaRejectedException($"eigenda-proxy rejected the {operation} request (HTTP {code}): {detail}");
        }
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

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "eigenda-proxy {Operation} attempt {Attempt} failed ({Reason}); retrying in {DelayMs} ms")]
    private static partial void LogRetry(ILogger logger, string operation, int attempt, string reason, double delayMs);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "eigenda-proxy unavailable ({Reason}): {Detail}")]
    private static partial void LogFailover(ILogger logger, DaUnavailableReason reason, string detail);
}
