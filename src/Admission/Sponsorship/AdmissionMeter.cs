using System.Diagnostics;
using System.Diagnostics.Metrics;
using Admission.Limits;
using Admission.Policy;

namespace Admission.Sponsorship;

/// <summary>
/// The "Admission" meter (docs/operations.md, "Admission meter"): every sponsored decision by verdict, reason and
/// policy rule, the gas charged to sponsorship budgets, the limiter's latency and availability, and the identities
/// seen lately. Besides the OpenTelemetry instruments it keeps the same counts in <see cref="Totals"/>, which a
/// server-side history (the operator console) can sample without a metrics pipeline.
/// </summary>
/// <remarks>
/// Recorded on every request: tags go in a stack-built <see cref="TagList"/> whose values are strings the policy and
/// the gate already hold (rule names, reason constants), so a recording allocates nothing.
/// </remarks>
public sealed class AdmissionMeter : IDisposable
{
    public const string MeterName = "Admission";

    /// <summary>The <c>verdict</c> tag values.</summary>
    public const string Admitted = "admitted", Denied = "denied", Limited = "limited", FailedClosed = "failed_closed";

    // Seconds, from an in-process store (microseconds) to a Redis call at its timeout (5 s at most in practice).
    private static readonly double[] LimiterBuckets = [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

    // Seconds, from a verifier on the same host (about a millisecond) to the longest TimeoutMs allowed (30 s).
    private static readonly double[] VerifierBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

    private readonly Meter _meter;
    private readonly Counter<long> _decisions;
    private readonly Counter<long> _gas;
    private readonly Histogram<double> _limiter;
    private readonly Histogram<double> _verifier;
    private readonly Counter<long> _verifierCacheHits;
    private readonly string _store;

    internal AdmissionMeter(IMeterFactory meterFactory, PolicyHolder policies, string store, Func<bool> limiterAvailable, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        ArgumentNullException.ThrowIfNull(policies);
        _store = store;
        Identities = new ActiveIdentities(time);
        _meter = meterFactory.Create(MeterName);
        _decisions = _meter.CreateCounter<long>("admission.sponsored.decisions", "{request}",
            "Sponsored requests decided, by verdict (admitted, denied, limited, failed_closed), reason and policy rule");
        _gas = _meter.CreateCounter<long>("admission.sponsored.gas", "{gas}",
            "Gas charged to sponsorship budgets by admitted requests (their gas limit), by policy rule");
        _limiter = _meter.CreateHistogram<double>("admission.limiter.duration", "s",
            "Time of one limit-store call, by store and outcome (allowed, limited, unavailable)",
            tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LimiterBuckets });
        _verifier = _meter.CreateHistogram<double>("admission.verifier.duration", "s",
            "Time of one call to a verifier endpoint, by verifier and outcome (approved, denied, timeout, unreachable, http_error, invalid_reply)",
            tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = VerifierBuckets });
        _verifierCacheHits = _meter.CreateCounter<long>("admission.verifier.cache_hits", "{request}",
            "Sponsored calls decided by a cached verifier answer (no call to the endpoint), by verifier");
        _meter.CreateObservableGauge("admission.limiter.available", () => limiterAvailable() ? 1 : 0, "{state}",
            "1 while the limit store serves calls, 0 while it fails (sponsored requests then fail closed)");
        _meter.CreateObservableGauge("admission.identities.active", Identities.Count, "{identity}",
            "Identities that sent a sponsored request on this replica in the last 5 minutes");
        _meter.CreateObservableGauge("admission.sponsored.gas.daily_budget", () => Budget(policies), "{gas}",
            "The policy's global daily sponsored gas budget (absent when unlimited)");
    }

    /// <summary>Running counts since start, for a history kept in process (the console).</summary>
    public AdmissionTotals Totals { get; } = new();

    internal ActiveIdentities Identities { get; }

    /// <summary>Counts the gate's answer to <paramref name="identity"/>.</summary>
    public void Record(AdmissionDecision decision, string identity)
    {
        ArgumentNullException.ThrowIfNull(decision);
        var verdict = VerdictOf(decision);
        var tags = new TagList { { "verdict", verdict } };
        if (decision.Verdict != AdmissionVerdict.Admitted)
        {
            tags.Add("reason", decision.Reason);
        }

        if (decision.PolicyRule is { } rule)
        {
            tags.Add("rule", rule);
        }

        _decisions.Add(1, in tags);
        Totals.Add(verdict, decision.Reason, decision.IsAdmitted ? decision.Gas : 0);
        if (decision.IsAdmitted && decision.Gas > 0)
        {
            _gas.Add((long)decision.Gas, new KeyValuePair<string, object?>("rule", decision.PolicyRule));
        }

        Identities.Seen(identity);
    }

    /// <summary>Times one limit-store call that started at <paramref name="startTimestamp"/> (<see cref="Stopwatch.GetTimestamp"/>).</summary>
    internal void LimiterCall(long startTimestamp, LimitStatus status)
    {
        var outcome = status switch
        {
            LimitStatus.Allowed => "allowed",
            LimitStatus.Limited => "limited",
            _ => "unavailable",
        };
        _limiter.Record(Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds, new TagList { { "store", _store }, { "outcome", outcome } });
    }

    /// <summary>Records one call to a verifier that took <paramref name="elapsed"/>; failures are the outcomes other than approved and denied.</summary>
    internal void VerifierCall(TimeSpan elapsed, string verifier, string outcome) =>
        _verifier.Record(elapsed.TotalSeconds, new TagList { { "verifier", verifier }, { "outcome", outcome } });

    internal void VerifierCacheHit(string verifier) => _verifierCacheHits.Add(1, new KeyValuePair<string, object?>("verifier", verifier));

    public void Dispose() => _meter.Dispose();

    internal static string VerdictOf(AdmissionDecision decision) => decision.Verdict switch
    {
        AdmissionVerdict.Admitted => Admitted,
        AdmissionVerdict.Denied => Denied,
        _ when decision.Reason is LimitRules.LimiterUnavailable or LimitRules.VerifierUnavailable => FailedClosed,
        _ => Limited,
    };

    private static IEnumerable<Measurement<long>> Budget(PolicyHolder policies)
    {
        var budget = policies.Current.GlobalDailySponsoredGas;
        if (budget > 0)
        {
            yield return new Measurement<long>(budget);
        }
    }
}
