using Admission.Identity;
using System.Diagnostics;
using Admission.Limits;
using Admission.People;
using Admission.Policy;
using Admission.Spending;
using Admission.Verification;

namespace Admission.Sponsorship;

/// <summary>
/// Decides whether an identity may have a call sponsored: blocked? → policy (contract, selector, value,
/// gas, claims) → limits (burst, sustained, daily tx quota, daily gas budget, global daily gas), in that
/// order, so the cheap checks run first and a denied request consumes no limit. A rule with a verifier asks
/// it between the policy and the limits (see <see cref="VerifyAsync"/>). When the limit store or the verifier
/// cannot be reached the answer is "limited: … unavailable" (fail closed: sponsored gas is the operator's money),
/// unless that verifier is set to fail open. A request admitted here but refused later by the sequencer still counts.
/// </summary>
public sealed class SponsoredTransactionGate
{
    private readonly PolicyHolder policies;
    private readonly IRateLimitStore store;
    private readonly TimeProvider time;
    private readonly AdmissionMeter? meter;
    private readonly RecentDecisions? recent;
    private readonly SponsorshipVerifier? verifier;
    private readonly PersonLinking? people;
    private readonly SponsoredGasPrice price;
    private readonly SpendAlerts? alerts;

    // Internal: the host gets it from AddAdmission; its parts are Admission's own.
    internal SponsoredTransactionGate(
        PolicyHolder policies, IRateLimitStore store, TimeProvider time, AdmissionMeter? meter = null, RecentDecisions? recent = null, SponsorshipVerifier? verifier = null,
        SponsoredGasPrice? price = null, SpendAlerts? alerts = null, PersonLinking? people = null)
    {
        this.price = price ?? SponsoredGasPrice.None;
        this.alerts = alerts;
        this.policies = policies;
        this.store = store;
        this.time = time;
        this.meter = meter;
        this.recent = recent;
        this.verifier = verifier;
        this.people = people;
    }

    internal AdmissionPolicy Policy => policies.Current;

    /// <summary>
    /// The policy replay's gate (the console's dry run against recent traffic): it must call no operator endpoint, and
    /// the decisions it replays were made with the verifier's answer, so a rule's verifier counts as approving.
    /// </summary>
    internal bool AssumeVerifiersApprove { get; init; }

    public ValueTask<AdmissionDecision> AdmitAsync(AdmissionIdentity identity, SponsoredCall call, CancellationToken cancellationToken = default) =>
        AdmitAsync(policies.Current, identity, call, consume: true, cancellationToken);

    /// <summary>
    /// The decision under <paramref name="policy"/>; with <paramref name="consume"/> false the limits are only read
    /// (the operator dry-run), never taken from, nothing is counted by the meter, and a rule's verifier is not asked
    /// (an endpoint may count what it approves; a dry run must change nothing anywhere).
    /// </summary>
    /// <remarks>Limits count under <c>limitKey</c> when the caller already knows it (a linked wallet's person); else it is looked up.</remarks>
    internal async ValueTask<AdmissionDecision> AdmitAsync(AdmissionPolicy policy, AdmissionIdentity identity, SponsoredCall call, bool consume, CancellationToken cancellationToken = default,
        string? limitKey = null)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var now = time.GetUtcNow();
        var denial = SponsorshipPolicyCheck.Check(policy, identity, call, now, out var rule, out var gas);
        if (denial is not null)
        {
            if (consume)
            {
                meter?.Record(denial, identity.Key);
                recent?.Add(now, identity, call, denial);
            }

            return denial;
        }

        // Limits count per person (docs/admission.md, "One person, many logins and wallets"): linking never multiplies them.
        // A store that keeps the persons itself (Redis) finds the person inside the take: one round trip, and atomic with it.
        // The dry run and a verifier's read-first path read the limits before any take, so they look the person up here.
        var inStore = limitKey is null && consume && rule!.Verifier is null && people is not null && people.ResolvedBy(store);
        if (limitKey is null && !inStore)
        {
            try
            {
                limitKey = people is null ? identity.Key : await people.LimitKeyAsync(identity.Key, cancellationToken).ConfigureAwait(false);
            }
            catch (RateLimitStoreUnavailableException)
            {
                var unavailable = Decide(LimitOutcome.Unavailable, rule!, gas);
                if (consume)
                {
                    meter?.Record(unavailable, identity.Key);
                    recent?.Add(now, identity, call, unavailable);
                }

                return unavailable;
            }
        }

        var nowUs = now.ToUnixTimeMilliseconds() * 1000;
        var request = BuildRequest(policy, rule!, limitKey ?? identity.Key, gas, nowUs, price.PriceWei, ownerResolved: inStore);
        if (!consume)
        {
            var peeked = Decide(await PeekAsync(request, cancellationToken).ConfigureAwait(false), rule!, gas);
            if (!peeked.IsAdmitted || rule!.Verifier is not { } unasked)
            {
                return peeked;
            }

            return verifier?.IsConfigured(unasked) == true
                ? peeked with { Message = $"admitted if verifier \"{unasked}\" approves (a dry run does not call it)" }
                : Unavailable(rule, unasked, new VerifierAnswer(VerifierOutcome.NotConfigured, "is not configured on this host"));
        }

        if (rule!.Verifier is { } verifierName
            && await VerifyAsync(verifierName, rule, identity, call, gas, request, cancellationToken).ConfigureAwait(false) is { } refusal)
        {
            meter?.Record(refusal, identity.Key);
            recent?.Add(now, identity, call, refusal);
            return refusal;
        }

        var started = Stopwatch.GetTimestamp();
        var outcome = await store.AcquireAsync(request, cancellationToken).ConfigureAwait(false);
        var decision = Decide(outcome, rule!, gas);
        if (decision.IsAdmitted && request.Spends.Length > 0)
        {
            decision = decision with { ReservedWei = request.Spends[0].AmountWei, PriceWei = price.PriceWei, SpendDay = LimitKeys.Day(nowUs), SpendKey = outcome.Person ?? limitKey ?? identity.Key };
            alerts?.Observe(policy, rule!, identity.Key, nowUs, outcome.SpendTotals);
        }

        if (meter is not null)
        {
            meter.LimiterCall(started, outcome.Status);
            meter.Record(decision, identity.Key);
        }

        recent?.Add(now, identity, call, decision);
        return decision;
    }

    /// <summary>
    /// Null when the rule's verifier approves (or fails and is set to fail open), else the refusal. Limits are read
    /// first, so an identity already over them never reaches the operator's endpoint, and taken only after the
    /// approval, so a call the verifier refuses uses up none of them.
    /// </summary>
    private async ValueTask<AdmissionDecision?> VerifyAsync(string name, CompiledRule rule, AdmissionIdentity identity, SponsoredCall call, ulong gas,
        LimitRequest request, CancellationToken cancellationToken)
    {
        var limits = await PeekAsync(request, cancellationToken).ConfigureAwait(false);
        if (limits.Status != LimitStatus.Allowed)
        {
            return Decide(limits, rule, gas);
        }

        if (AssumeVerifiersApprove)
        {
            return null;
        }

        var answer = verifier is null
            ? new VerifierAnswer(VerifierOutcome.NotConfigured, "is not configured on this host")
            : await verifier.AskAsync(name, rule.Name, identity, call.To, call.Data, call.Value, gas, cancellationToken).ConfigureAwait(false);
        if (answer.FromCache)
        {
            meter?.VerifierCacheHit(name);
        }
        else if (answer.WasCalled)
        {
            meter?.VerifierCall(answer.Elapsed, name, answer.Label);
        }

        return answer.Outcome switch
        {
            VerifierOutcome.Approved => null,
            VerifierOutcome.Denied => AdmissionDecision.Deny(LimitRules.VerifierDenied, $"rule \"{rule.Name}\" (verifier): {answer.Detail}", rule.Name),
            _ when verifier?.FailsOpen(name) == true => null,
            _ => Unavailable(rule, name, answer),
        };
    }

    private static AdmissionDecision Unavailable(CompiledRule rule, string verifierName, VerifierAnswer answer) =>
        AdmissionDecision.Limit(LimitRules.VerifierUnavailable,
            $"rule \"{rule.Name}\" (verifier): verifier \"{verifierName}\" {answer.Detail}; sponsored calls under this rule are refused until it answers",
            VerifierRetryAfterMs, rule.Name);

    /// <summary>When a client may try again after the verifier failed: as for an unavailable limiter.</summary>
    internal const long VerifierRetryAfterMs = 1_000;

    private static AdmissionDecision Decide(LimitOutcome outcome, CompiledRule rule, ulong gas) =>
        outcome.Status switch
        {
            LimitStatus.Allowed => AdmissionDecision.Admit(rule.Name, gas),
            LimitStatus.Unavailable => AdmissionDecision.Limit(
                LimitRules.LimiterUnavailable, "sponsored transactions are paused: the rate limiter is unavailable", outcome.RetryAfterMs, rule.Name),
            _ => AdmissionDecision.Limit(
                outcome.Rule!, $"rule \"{rule.Name}\" ({outcome.Rule}): limit reached; retry in {outcome.RetryAfterMs} ms", outcome.RetryAfterMs, rule.Name),
        };

    /// <summary>
    /// Everything an admission under <paramref name="rule"/> takes, counted under <paramref name="identity"/> (the limit key);
    /// with <paramref name="ownerResolved"/> the store counts them under <paramref name="identity"/>'s person instead, when it has one.
    /// </summary>
    internal static LimitRequest BuildRequest(AdmissionPolicy policy, CompiledRule rule, string identity, ulong gas, long nowUs, UInt128 priceWei = default,
        bool ownerResolved = false)
    {
        var rates = new List<RateCheck>(2);
        if (rule.Burst is { } burst)
        {
            rates.Add(new RateCheck(LimitKeys.Rate(burst.Rule, identity), burst.Rule, burst.IntervalUs, burst.ToleranceUs, Personal: true));
        }

        if (rule.Sustained is { } sustained)
        {
            rates.Add(new RateCheck(LimitKeys.Rate(sustained.Rule, identity), sustained.Rule, sustained.IntervalUs, sustained.ToleranceUs, Personal: true));
        }

        var day = LimitKeys.Day(nowUs);
        var reset = LimitKeys.NextDayUs(nowUs);
        var gasAmount = (long)gas;
        QuotaCheck[] quotas =
        [
            new(LimitKeys.DailyTx(day, identity), LimitRules.DailyTxQuota, 1, rule.DailyTxQuota, reset, Personal: true),
            new(LimitKeys.DailyGas(day, identity), LimitRules.DailyGasBudget, gasAmount, rule.DailyGasBudget, reset, Personal: true),
            new(LimitKeys.GlobalGas(day), LimitRules.GlobalDailySponsoredGas, gasAmount, policy.GlobalDailySponsoredGas, reset),
            new(LimitKeys.GlobalTx(day), "globalTx", 1, null, reset),
        ];
        // Wei budgets: gasLimit × price reserved now, settled on the receipt (SpendLedger). Identity first, then global.
        SpendCheck[] spends = priceWei == 0 ? [] :
        [
            new(LimitKeys.DailyWei(day, identity), LimitRules.DailySpendCapWei, gas * priceWei, rule.DailySpendCapWei, reset, Personal: true),
            new(LimitKeys.GlobalWei(day), LimitRules.GlobalDailySpendCapWei, gas * priceWei, policy.GlobalDailySpendCapWei, reset),
        ];
        return new LimitRequest(nowUs, [.. rates], quotas, new BoardIncrement(LimitKeys.TopByGas(day), identity, gasAmount, reset))
        {
            Spends = spends,
            Owner = ownerResolved ? identity : null,
        };
    }

    // The same checks as the store, on values read without taking anything.
    private async ValueTask<LimitOutcome> PeekAsync(LimitRequest request, CancellationToken cancellationToken)
    {
        var keys = new List<string>(request.Rates.Length + request.Quotas.Length);
        foreach (var rate in request.Rates)
        {
            keys.Add(rate.Key);
        }

        foreach (var quota in request.Quotas)
        {
            keys.Add(quota.Key);
        }

        long[] values;
        try
        {
            values = await store.ReadAsync(keys, request.NowUs, cancellationToken).ConfigureAwait(false);
        }
        catch (RateLimitStoreUnavailableException)
        {
            return LimitOutcome.Unavailable;
        }

        for (var i = 0; i < request.Rates.Length; i++)
        {
            var rate = request.Rates[i];
            if (!Gcra.TryTake(values[i], request.NowUs, rate.IntervalUs, rate.ToleranceUs, out _, out var retry))
            {
                return LimitOutcome.Limited(rate.Rule, retry);
            }
        }

        for (var j = 0; j < request.Quotas.Length; j++)
        {
            var quota = request.Quotas[j];
            if (quota.Limit is { } limit && values[request.Rates.Length + j] + quota.Amount > limit)
            {
                return LimitOutcome.Limited(quota.Rule, quota.ResetAtUs - request.NowUs);
            }
        }

        return request.Spends.Length == 0 || store is not ISpendStore spendStore
            ? LimitOutcome.Allowed
            : await PeekSpendsAsync(spendStore, request, cancellationToken).ConfigureAwait(false);
    }

    private static async ValueTask<LimitOutcome> PeekSpendsAsync(ISpendStore spendStore, LimitRequest request, CancellationToken cancellationToken)
    {
        var keys = new string[request.Spends.Length];
        for (var i = 0; i < keys.Length; i++)
        {
            keys[i] = request.Spends[i].Key;
        }

        UInt128[] spent;
        try
        {
            spent = await spendStore.ReadSpendAsync(keys, request.NowUs, cancellationToken).ConfigureAwait(false);
        }
        catch (RateLimitStoreUnavailableException)
        {
            return LimitOutcome.Unavailable;
        }

        for (var i = 0; i < keys.Length; i++)
        {
            var spend = request.Spends[i];
            if (spend.LimitWei is { } limit && (spend.AmountWei > limit || spent[i] > limit - spend.AmountWei))
            {
                return LimitOutcome.Limited(spend.Rule, spend.ResetAtUs - request.NowUs);
            }
        }

        return LimitOutcome.Allowed;
    }
}
