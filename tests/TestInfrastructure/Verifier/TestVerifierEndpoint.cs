using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace TestInfrastructure.Verifier;

/// <summary>
/// An operator's verifier endpoint for tests: Kestrel in the test process on a free loopback port. Every request
/// must carry a valid signature (<see cref="VerifierSignatureCheck"/>) or gets 401 and is counted in
/// <see cref="RejectedSignatures"/>. <c>POST /decide</c> approves unless the identity's subject starts with
/// "deny-" (then: <see cref="DenialReason"/>); <c>POST /slow</c> answers only when the endpoint is disposed (for timeouts).
/// </summary>
public sealed class TestVerifierEndpoint : IAsyncDisposable
{
    public const string DenialReason = "not on the guest list";

    private readonly WebApplication _app;
    private readonly CancellationTokenSource _stopping = new();
    private int _rejected;

    private TestVerifierEndpoint(WebApplication app, string secret)
    {
        _app = app;
        Secret = secret;
    }

    public string Secret { get; }

    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>Requests that were signed correctly, in arrival order.</summary>
    public ConcurrentQueue<VerifierCall> Calls { get; } = new();

    public int RejectedSignatures => Volatile.Read(ref _rejected);

    public static async Task<TestVerifierEndpoint> StartAsync(string secret)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var app = builder.Build();
        var endpoint = new TestVerifierEndpoint(app, secret);
        app.MapPost("/{mode}", endpoint.HandleAsync);
        await app.StartAsync();
        endpoint.BaseUrl = new Uri(app.Urls.First());
        return endpoint;
    }

    /// <summary>The signed calls whose identity key is <paramref name="identity"/>.</summary>
    public VerifierCall[] CallsFor(string identity) => [.. Calls.Where(c => c.IdentityKey == identity)];

    private async Task<IResult> HandleAsync(string mode, HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        var body = buffer.ToArray();
        var timestamp = context.Request.Headers["X-Sequencer-Timestamp"].ToString();
        var signature = context.Request.Headers["X-Sequencer-Signature"].ToString();
        if (!VerifierSignatureCheck.IsValid(Secret, timestamp, signature, body, DateTimeOffset.UtcNow))
        {
            Interlocked.Increment(ref _rejected);
            return Results.Json(new { error = "bad signature" }, statusCode: StatusCodes.Status401Unauthorized);
        }

        using var json = JsonDocument.Parse(body);
        var call = new VerifierCall(mode, json.RootElement.GetProperty("identity").GetProperty("key").GetString()!, json.RootElement.Clone(), body, timestamp, signature);
        Calls.Enqueue(call);
        if (mode == "slow")
        {
            // Bounded: the sequencer gives up long before; this only keeps the test process from holding a request forever.
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token, context.RequestAborted);
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(60), linked.Token);
            }
            catch (OperationCanceledException)
            {
                return Results.Empty;
            }
        }

        var subject = json.RootElement.GetProperty("identity").GetProperty("subject").GetString()!;
        return subject.StartsWith("deny-", StringComparison.Ordinal)
            ? Results.Json(new { approve = false, reason = DenialReason })
            : Results.Json(new { approve = true });
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _stopping.Dispose();
    }
}

/// <summary>One signed request the endpoint received: the route, whose call it was, the parsed and the raw body, and its headers.</summary>
public sealed record VerifierCall(string Mode, string IdentityKey, JsonElement Body, byte[] RawBody, string Timestamp, string Signature);
