using Admission.Options;
using Admission.Limits;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Admission.Operators;

/// <summary>
/// Slows down guessing of the admin key: wrong keys are counted per client address in the limit
/// store (shared by replicas with Redis; this process's embedded store while Redis is down), and a
/// client over its budget is refused with 429 before its key is even compared, so a right guess
/// inside the lock-out gains nothing. Every failure is logged with the client, never the key.
/// </summary>
internal sealed partial class AdminKeyGuard(
    IRateLimitStore store,
    EmbeddedRateLimitStore fallback,
    IOptions<AdmissionOptions> options,
    TimeProvider time,
    ILogger<AdminKeyGuard> logger)
{
    public const string Rule = "adminKey.failures";

    private readonly long _intervalUs = options.Value.AdminKeyFailurePeriodSeconds * 1_000_000L / Math.Max(1, options.Value.AdminKeyMaxFailures);
    private readonly long _toleranceUs = options.Value.AdminKeyFailurePeriodSeconds * 1_000_000L;

    /// <summary>0 when <paramref name="client"/> may try a key now, else the milliseconds until it may.</summary>
    public async ValueTask<long> RetryAfterMsAsync(string client, CancellationToken cancellationToken)
    {
        var now = NowUs();
        string[] keys = [Key(client)];
        long[] values;
        try
        {
            values = await store.ReadAsync(keys, now, cancellationToken).ConfigureAwait(false);
        }
        catch (RateLimitStoreUnavailableException)
        {
            values = await fallback.ReadAsync(keys, now, cancellationToken).ConfigureAwait(false);
        }

        if (Gcra.TryTake(values[0], now, _intervalUs, _toleranceUs, out _, out var retryUs))
        {
            return 0;
        }

        var retryMs = Math.Max(1, (retryUs + 999) / 1000);
        LogLockedOut(logger, client, retryMs);
        return retryMs;
    }

    /// <summary>Counts one wrong key from <paramref name="client"/>.</summary>
    public async ValueTask RecordFailureAsync(string client, CancellationToken cancellationToken)
    {
        LogWrongKey(logger, client);
        var request = new LimitRequest(NowUs(), [new RateCheck(Key(client), Rule, _intervalUs, _toleranceUs)], []);
        var outcome = await store.AcquireAsync(request, cancellationToken).ConfigureAwait(false);
        if (outcome.Status == LimitStatus.Unavailable)
        {
            await fallback.AcquireAsync(request, cancellationToken).ConfigureAwait(false);
        }
    }

    private long NowUs() => time.GetUtcNow().ToUnixTimeMilliseconds() * 1000;

    private static string Key(string client) => "admin-key:failures:" + client;

    [LoggerMessage(EventId = 430, Level = LogLevel.Warning, Message = "Operator API: wrong admin key from {Client}")]
    private static partial void LogWrongKey(ILogger logger, string client);

    [LoggerMessage(EventId = 431, Level = LogLevel.Warning, Message = "Operator API: admin key attempts from {Client} refused for {RetryAfterMs} ms after repeated wrong keys")]
    private static partial void LogLockedOut(ILogger logger, string client, long retryAfterMs);
}
