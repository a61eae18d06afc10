using System.Diagnostics;
using System.Security.Cryptography;
using Admission.Identity;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Logging;

namespace Admission.Verification;

/// <summary>
/// Asks a rule's verifier whether to sponsor a call (docs/admission.md, "Verifier hook"): a signed POST through
/// the named HttpClient <see cref="HttpClientName"/>, answers kept per replica for the verifier's CacheSeconds
/// (keyed on the request body, i.e. on everything the answer can depend on). Each answer says whether it came from
/// the cache or how long the call took, for the caller's meter. Failures are never cached, so a verifier that comes back is asked at once.
/// </summary>
internal sealed partial class SponsorshipVerifier : IDisposable
{
    public const string HttpClientName = "Admission.Verifier";

    /// <summary>Answers kept at most (per replica); beyond it MemoryCache evicts (least recently used first), so memory stays bounded.</summary>
    public const long MaxCachedAnswers = 100_000;

    // A verifier that is down fails every call; one log line per this period says so without flooding the log.
    private static readonly long LogEveryTicks = Stopwatch.Frequency * 10;

    private readonly VerifierDirectory _directory;
    private readonly IHttpClientFactory _http;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = MaxCachedAnswers });
    private long _lastFailureLog = -LogEveryTicks;

    public SponsorshipVerifier(VerifierDirectory directory, IHttpClientFactory http, TimeProvider time, ILogger<SponsorshipVerifier> logger)
    {
        _directory = directory;
        _http = http;
        _time = time;
        _logger = logger;
    }

    /// <summary>Whether <paramref name="verifier"/> approves the call by <paramref name="identity"/> under rule <paramref name="rule"/>.</summary>
    public async ValueTask<VerifierAnswer> AskAsync(string verifier, string rule, AdmissionIdentity identity, string to, byte[] data, UInt128 value, ulong gas,
        CancellationToken cancellationToken)
    {
        if (_directory.Find(verifier) is not { } endpoint)
        {
            var missing = new VerifierAnswer(VerifierOutcome.NotConfigured, "is not configured on this host");
            LogFailure(verifier, missing, failOpen: false);
            return missing;
        }

        var body = VerifierRequest.Body(verifier, rule, identity, to, data, value, gas);
        string? key = null;
        if (endpoint.CacheTime > TimeSpan.Zero)
        {
            key = Convert.ToBase64String(SHA256.HashData(body));
            if (_cache.TryGetValue(key, out VerifierAnswer cached))
            {
                return cached with { FromCache = true, Elapsed = TimeSpan.Zero };
            }
        }

        var started = Stopwatch.GetTimestamp();
        var (answer, cacheFor) = await VerifierExchange.SendAsync(
            _http.CreateClient(HttpClientName), endpoint, body, _time.GetUtcNow().ToUnixTimeSeconds(), cancellationToken).ConfigureAwait(false);
        answer = answer with { Elapsed = Stopwatch.GetElapsedTime(started) };
        if (!answer.IsDecision)
        {
            LogFailure(verifier, answer, endpoint.FailOpen);
        }
        else if (key is not null && cacheFor > TimeSpan.Zero)
        {
            _cache.Set(key, answer, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = cacheFor });
        }

        return answer;
    }

    public bool IsConfigured(string verifier) => _directory.Find(verifier) is not null;

    /// <summary>Whether calls are admitted when <paramref name="verifier"/> fails (its FailOpen; false when it is not configured).</summary>
    public bool FailsOpen(string verifier) => _directory.Find(verifier)?.FailOpen == true;

    public void Dispose() => _cache.Dispose();

    private void LogFailure(string verifier, VerifierAnswer answer, bool failOpen)
    {
        var now = Stopwatch.GetTimestamp();
        var last = Interlocked.Read(ref _lastFailureLog);
        if (now - last >= LogEveryTicks && Interlocked.CompareExchange(ref _lastFailureLog, now, last) == last)
        {
            LogVerifierFailed(_logger, verifier, answer.Detail, failOpen ? "admitted (FailOpen)" : "refused");
        }
    }

    [LoggerMessage(EventId = 440, Level = LogLevel.Warning,
        Message = "Verifier {Verifier} {Detail}; calls under its rules are {Effect} (at most one such line per 10 s)")]
    private static partial void LogVerifierFailed(ILogger logger, string verifier, string detail, string effect);
}
