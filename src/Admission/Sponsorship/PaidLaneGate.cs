using System.Diagnostics;
using Admission.Limits;
using Admission.Policy;

namespace Admission.Sponsorship;

/// <summary>
/// Flood limits for the paid lane, per sender and per client IP. Paid transactions pay for their gas,
/// so when the shared store (Redis) is unreachable they are not stopped: the limits are then kept
/// by this replica alone in an in-process store (each replica enforces them separately until Redis
/// is back), which keeps a flood bounded without making Redis a single point of failure.
/// </summary>
public sealed class PaidLaneGate
{
    private readonly PolicyHolder policies;
    private readonly IRateLimitStore store;
    private readonly EmbeddedRateLimitStore fallback;
    private readonly TimeProvider time;
    private readonly AdmissionMeter? meter;

    // Internal: the host gets it from AddAdmission; its parts are Admission's own.
    internal PaidLaneGate(PolicyHolder policies, IRateLimitStore store, EmbeddedRateLimitStore fallback, TimeProvider time, AdmissionMeter? meter = null)
    {
        this.policies = policies;
        this.store = store;
        this.fallback = fallback;
        this.time = time;
        this.meter = meter;
    }

    /// <summary>Whether the policy in force limits the paid lane at all (so callers can skip building keys).</summary>
    public bool Enabled => policies.Current.HasPaidLimits;

    /// <summary>Null when the transaction may go on, else the limit it hit.</summary>
    public ValueTask<AdmissionDecision?> CheckAsync(string sender, string? clientIp, CancellationToken cancellationToken = default)
    {
        var policy = policies.Current;
        if (!policy.HasPaidLimits)
        {
            return ValueTask.FromResult<AdmissionDecision?>(null);
        }

        var rates = new List<RateCheck>(4);
        Add(rates, policy.PaidSenderBurst, sender, isIp: false);
        Add(rates, policy.PaidSenderSustained, sender, isIp: false);
        if (clientIp is not null)
        {
            Add(rates, policy.PaidIpBurst, clientIp, isIp: true);
            Add(rates, policy.PaidIpSustained, clientIp, isIp: true);
        }

        if (rates.Count == 0)
        {
            return ValueTask.FromResult<AdmissionDecision?>(null);
        }

        var request = new LimitRequest(time.GetUtcNow().ToUnixTimeMilliseconds() * 1000, [.. rates], []);
        // An async ValueTask method that finishes synchronously (the embedded store) allocates nothing.
        var started = Stopwatch.GetTimestamp();
        return DecideAsync(store.AcquireAsync(request, cancellationToken), request, started);
    }

    private async ValueTask<AdmissionDecision?> DecideAsync(ValueTask<LimitOutcome> pending, LimitRequest request, long started) =>
        Decide(await pending.ConfigureAwait(false), request, started);

    private AdmissionDecision? Decide(LimitOutcome outcome, LimitRequest request, long started)
    {
        // The shared store's call is what the limiter's latency and availability describe; the fallback is in process.
        meter?.LimiterCall(started, outcome.Status);
        if (outcome.Status == LimitStatus.Unavailable)
        {
            outcome = fallback.Acquire(request);
        }

        return outcome.Status == LimitStatus.Allowed
            ? null
            : AdmissionDecision.Limit(outcome.Rule!, $"paid lane limit {outcome.Rule} reached; retry in {outcome.RetryAfterMs} ms", outcome.RetryAfterMs);
    }

    private static void Add(List<RateCheck> rates, RateWindow? window, string subject, bool isIp)
    {
        if (window is not null)
        {
            var key = isIp ? LimitKeys.PaidClientIp(window.Rule, subject) : LimitKeys.PaidSender(window.Rule, subject);
            rates.Add(new RateCheck(key, window.Rule, window.IntervalUs, window.ToleranceUs));
        }
    }
}
