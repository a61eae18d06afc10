using System.Globalization;
using Admission.Identity;
using Admission.Policy;

namespace Admission.Sponsorship;

/// <summary>
/// The stateless half of the gate: is this identity allowed to make this call under this policy?
/// (blocked list, matching rule, contract, selector, value, gas, required claims, account age).
/// Used by the gate on every request and by the operator dry-run against a draft policy.
/// </summary>
internal static class SponsorshipPolicyCheck
{
    /// <summary>Null when allowed (then <paramref name="rule"/> and <paramref name="gas"/> are set), else the denial.</summary>
    public static AdmissionDecision? Check(AdmissionPolicy policy, AdmissionIdentity identity, SponsoredCall call, DateTimeOffset now, out CompiledRule? rule, out ulong gas)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(call);
        gas = 0;
        rule = null;
        if (policy.Blocked.Contains(identity.Key))
        {
            return AdmissionDecision.Deny("blocked", $"identity {identity.Key} is blocked by the operator (policy v{policy.Version})");
        }

        rule = policy.RuleFor(identity);
        if (rule is null)
        {
            return AdmissionDecision.Deny("no rule", $"no sponsorship rule of policy v{policy.Version} applies to provider \"{identity.Provider}\"");
        }

        var name = rule.Name;
        var allowance = rule.AllowanceFor(call.To);
        if (allowance is null)
        {
            return AdmissionDecision.Deny("allowedContracts", $"rule \"{name}\" (allowedContracts): contract {call.To} is not allowed", name);
        }

        if (!allowance.Allows(call.Data))
        {
            var selector = call.Data.Length >= 4 ? "0x" + Convert.ToHexStringLower(call.Data.AsSpan(0, 4)) : "(none: data shorter than 4 bytes)";
            return AdmissionDecision.Deny("selectors", $"rule \"{name}\" (selectors): function selector {selector} is not allowed on {call.To}", name);
        }

        if (call.Value > rule.MaxValuePerTxWei)
        {
            return AdmissionDecision.Deny("maxValuePerTxWei", $"rule \"{name}\" (maxValuePerTxWei): value {call.Value} wei is above the limit {rule.MaxValuePerTxWei} wei", name);
        }

        gas = call.Gas ?? (ulong)rule.DefaultGasPerTx;
        if (gas > (ulong)rule.MaxGasPerTx)
        {
            return AdmissionDecision.Deny("maxGasPerTx", $"rule \"{name}\" (maxGasPerTx): gas {gas} is above the limit {rule.MaxGasPerTx}", name);
        }

        foreach (var (claim, expected) in rule.RequiredClaims)
        {
            if (!identity.Claims.TryGetValue(claim, out var actual) || !string.Equals(actual, expected, StringComparison.OrdinalIgnoreCase))
            {
                return AdmissionDecision.Deny("requiredClaims", $"rule \"{name}\" (requiredClaims): claim \"{claim}\" must be \"{expected}\", got {(actual is null ? "nothing" : "\"" + actual + "\"")}", name);
            }
        }

        if (rule.MinAccountAgeDays is { } minDays && minDays > 0)
        {
            if (!identity.Claims.TryGetValue(rule.AccountCreatedClaim, out var created) || !TryParseTime(created, out var createdAt))
            {
                return AdmissionDecision.Deny("minAccountAgeDays", $"rule \"{name}\" (minAccountAgeDays): the provider gave no account creation time (claim \"{rule.AccountCreatedClaim}\")", name);
            }

            var ageDays = (now - createdAt).TotalDays;
            if (ageDays < minDays)
            {
                return AdmissionDecision.Deny("minAccountAgeDays", $"rule \"{name}\" (minAccountAgeDays): the account is {Math.Max(0, (int)ageDays)} days old; {minDays} are required", name);
            }
        }

        return null;
    }

    /// <summary>Unix seconds (as providers put it in tokens) or an ISO 8601 / RFC 1123 date (as user-info endpoints do).</summary>
    internal static bool TryParseTime(string text, out DateTimeOffset time)
    {
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds < 253_402_300_800)
        {
            time = DateTimeOffset.FromUnixTimeSeconds(seconds);
            return true;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out time);
    }
}
