namespace Admission.Sponsorship;

public enum AdmissionVerdict : byte
{
    Admitted,

    /// <summary>Policy said no (JSON-RPC -32003).</summary>
    Denied,

    /// <summary>A limit or quota is reached, or the limiter is unavailable (JSON-RPC -32005 with reason and retryAfterMs).</summary>
    Limited,
}

/// <summary>
/// The gate's answer. <see cref="Reason"/> names the rule that decided (e.g. "allowedContracts",
/// "rate.burst", "limiter unavailable"); <see cref="PolicyRule"/> is the policy rule it belongs to.
/// </summary>
public sealed record AdmissionDecision(AdmissionVerdict Verdict, string Reason, string Message, long RetryAfterMs = 0, ulong Gas = 0, string? PolicyRule = null)
{
    /// <summary>JSON-RPC code for a policy denial.</summary>
    public const int DeniedCode = -32003;

    /// <summary>JSON-RPC code for a limit.</summary>
    public const int LimitedCode = -32005;

    public bool IsAdmitted => Verdict == AdmissionVerdict.Admitted;

    /// <summary>Wei reserved by an admitted request (gas limit × <see cref="PriceWei"/>), to be settled on its receipt.</summary>
    public UInt128 ReservedWei { get; init; }

    /// <summary>The price per gas the reservation was made at.</summary>
    public UInt128 PriceWei { get; init; }

    /// <summary>The UTC day number whose counters the reservation was taken from.</summary>
    public long SpendDay { get; init; }

    /// <summary>The key the limits were counted under (the identity's, or its person's once linked): the settlement's too.</summary>
    public string? SpendKey { get; init; }

    public int ErrorCode => Verdict == AdmissionVerdict.Limited ? LimitedCode : DeniedCode;

    public static AdmissionDecision Admit(string policyRule, ulong gas) => new(AdmissionVerdict.Admitted, "admitted", "admitted", 0, gas, policyRule);

    public static AdmissionDecision Deny(string reason, string message, string? policyRule = null) => new(AdmissionVerdict.Denied, reason, message, 0, 0, policyRule);

    public static AdmissionDecision Limit(string reason, string message, long retryAfterMs, string? policyRule = null) =>
        new(AdmissionVerdict.Limited, reason, message, retryAfterMs, 0, policyRule);
}
