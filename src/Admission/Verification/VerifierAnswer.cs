namespace Admission.Verification;

/// <summary>How one question to a verifier ended; the metric's <c>outcome</c> label (see <see cref="VerifierAnswer.Label"/>).</summary>
internal enum VerifierOutcome : byte
{
    Approved,
    Denied,

    /// <summary>No answer within the verifier's TimeoutMs.</summary>
    Timeout,

    /// <summary>No connection (refused, DNS, TLS).</summary>
    Unreachable,

    /// <summary>An HTTP status other than 200 (e.g. 401 from an endpoint that rejected the signature).</summary>
    HttpError,

    /// <summary>200, but not the reply the contract describes.</summary>
    InvalidReply,

    /// <summary>The policy names a verifier this host does not have (no call is made).</summary>
    NotConfigured,
}

/// <summary>
/// A verifier's answer: its decision (and the reason it gave for a denial), or why there was none; whether it came
/// from the cache, and else how long the call took (zero when no call was made).
/// </summary>
internal readonly record struct VerifierAnswer(VerifierOutcome Outcome, string Detail, bool FromCache = false, TimeSpan Elapsed = default)
{
    /// <summary>An endpoint was called for this answer (not cached, and the verifier is configured).</summary>
    public bool WasCalled => !FromCache && Outcome != VerifierOutcome.NotConfigured;

    /// <summary>The endpoint decided (approved or denied): such answers may be cached; failures never are.</summary>
    public bool IsDecision => Outcome is VerifierOutcome.Approved or VerifierOutcome.Denied;

    public string Label => Outcome switch
    {
        VerifierOutcome.Approved => "approved",
        VerifierOutcome.Denied => "denied",
        VerifierOutcome.Timeout => "timeout",
        VerifierOutcome.Unreachable => "unreachable",
        VerifierOutcome.HttpError => "http_error",
        VerifierOutcome.InvalidReply => "invalid_reply",
        _ => "not_configured",
    };
}
