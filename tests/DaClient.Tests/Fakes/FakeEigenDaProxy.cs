using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace DaClient.Tests.Fakes;

/// <summary>
/// An in-process HTTP server that behaves like eigenda-proxy running with its memstore: POST /put
/// (standard and OP generic commitment modes), GET /get/0x…, GET /health, GET/PATCH /memstore/config,
/// the proxy's status codes (400, 418, 429, 503) and switchable faults.
/// </summary>
internal sealed class FakeEigenDaProxy : IAsyncDisposable
{
    public const byte CertVersionByte = 0x02; // "EigenDA V2 with V3 cert"
    private const int MaxBodyBytes = 16 * 1024 * 1024;

    private readonly ConcurrentDictionary<string, byte[]> _blobs = new();
    private readonly ConcurrentQueue<int> _scriptedStatuses = new();
    private WebApplication? _app;
    private int _putRequests;
    private int _getRequests;

    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>Memstore's PutReturnsFailoverError: every POST answers 503.</summary>
    public volatile bool PutReturnsFailoverError;

    /// <summary>Memstore's NullableDerivationError: GETs answer 418 with this status code (null = off).</summary>
    public int? DerivationErrorStatusCode;

    /// <summary>Requests never get an answer (until the client gives up).</summary>
    public volatile bool Hang;

    public int PutRequests => Volatile.Read(ref _putRequests);

    public int GetRequests => Volatile.Read(ref _getRequests);

    public IReadOnlyDictionary<string, byte[]> Stored => _blobs;

    /// <summary>The next requests (any route except /health, /memstore) answer these statuses in order.</summary>
    public void FailNext(params int[] statuses)
    {
        foreach (var status in statuses)
        {
            _scriptedStatuses.Enqueue(status);
        }
    }

    public static async Task<FakeEigenDaProxy> StartAsync()
    {
        var proxy = new FakeEigenDaProxy();
        var (app, port) = await LoopbackHost.StartAsync(HttpProtocols.Http1, _ => { }, proxy.Map);
        proxy._app = app;
        proxy.BaseUrl = new Uri($"http://127.0.0.1:{port}/");
        return proxy;
    }

    private void Map(WebApplication app)
    {
        app.MapPost("/put", (Delegate)PutAsync);
        app.MapGet("/put", () => Results.StatusCode(405));
        app.MapGet("/get/{commitment}", GetAsync);
        app.MapGet("/health", () => Results.Ok());
        app.MapGet("/memstore/config", () => Results.Json(Config()));
        app.MapMethods("/memstore/config", ["PATCH"], PatchConfigAsync);
    }

    private object Config() => new
    {
        MaxBlobSizeBytes = MaxBodyBytes,
        BlobExpiration = "25m0s",
        PutLatency = "0s",
        GetLatency = "0s",
        PutReturnsFailoverError,
    };

    private async Task<IResult> PatchConfigAsync(HttpRequest request)
    {
        using var json = await JsonDocument.ParseAsync(request.Body);
        // Go's JSON decoding matches field names case-insensitively; so does this fake.
        foreach (var property in json.RootElement.EnumerateObject())
        {
            if (string.Equals(property.Name, "PutReturnsFailoverError", StringComparison.OrdinalIgnoreCase))
            {
                PutReturnsFailoverError = property.Value.GetBoolean();
            }
            else if (string.Equals(property.Name, "NullableDerivationError", StringComparison.OrdinalIgnoreCase))
            {
                var derivation = property.Value;
                DerivationErrorStatusCode = derivation.TryGetProperty("Reset", out var reset) && reset.GetBoolean()
                    ? null
                    : derivation.GetProperty("StatusCode").GetInt32();
            }
        }

        return Results.Json(Config());
    }

    private async Task<IResult> PutAsync(HttpContext context)
    {
        Interlocked.Increment(ref _putRequests);
        if (await FaultAsync(context) is { } fault)
        {
            return fault;
        }

        if (PutReturnsFailoverError)
        {
            return Results.Text("eigenda is temporarily down (failover)", statusCode: 503);
        }

        var mode = context.Request.Query["commitment_mode"].ToString();
        if (mode is not ("" or "standard" or "optimism_generic"))
        {
            return Results.Text($"unknown commitment mode {mode}", statusCode: 400);
        }

        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body);
        if (body.Length > MaxBodyBytes)
        {
            return Results.Text("http: request body too large", statusCode: 400);
        }

        if (body.Length == 0)
        {
            return Results.Text("empty payload", statusCode: 400);
        }

        var payload = body.ToArray();
        // Memstore makes up a certificate; here: keccak of the payload plus a counter, so certs are unique.
        var cert = new byte[40];
        DaCommitment.Keccak256(payload).CopyTo(cert, 0);
        BitConverter.TryWriteBytes(cert.AsSpan(32), (long)PutRequests);
        _blobs[Convert.ToHexStringLower(cert)] = payload;

        byte[] commitment = mode == "standard"
            ? [CertVersionByte, .. cert]
            : [0x01, 0x00, CertVersionByte, .. cert];
        return Results.Bytes(commitment, "application/octet-stream");
    }

    private async Task<IResult> GetAsync(HttpContext context, string commitment)
    {
        Interlocked.Increment(ref _getRequests);
        if (await FaultAsync(context) is { } fault)
        {
            return fault;
        }

        var hex = commitment.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? commitment[2..] : commitment;
        byte[] bytes;
        try
        {
            bytes = Convert.FromHexString(hex);
        }
        catch (FormatException)
        {
            return Results.Text("commitment is not hex", statusCode: 400);
        }

        var standard = context.Request.Query["commitment_mode"] == "standard";
        ReadOnlySpan<byte> rest = bytes;
        if (!standard)
        {
            if (rest.Length < 2 || rest[0] != 0x01)
            {
                return Results.Text("unsupported commitment type", statusCode: 400);
            }

            if (rest[1] != 0x00)
            {
                return Results.Text("unsupported DA layer", statusCode: 400);
            }

            rest = rest[2..];
        }

        if (rest.IsEmpty || rest[0] != CertVersionByte)
        {
            return Results.Text("unsupported cert version byte", statusCode: 400);
        }

        if (DerivationErrorStatusCode is { } derivationError)
        {
            return Results.Json(new { StatusCode = derivationError, Msg = "invalid cert" }, statusCode: 418);
        }

        return _blobs.TryGetValue(Convert.ToHexStringLower(rest[1..]), out var payload)
            ? Results.Bytes(payload, "application/octet-stream")
            : Results.Text("key not found", statusCode: 404);
    }

    private async Task<IResult?> FaultAsync(HttpContext context)
    {
        if (Hang)
        {
            try
            {
                await Task.Delay(Timeout.Infinite, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
            }

            return Results.StatusCode((int)HttpStatusCode.RequestTimeout);
        }

        return _scriptedStatuses.TryDequeue(out var status) ? Results.Text($"scripted status {status}", statusCode: status) : null;
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
