namespace Admission.Options;

/// <summary>
/// One operator endpoint that approves sponsored calls, <c>Admission:Verifiers:{name}</c> (docs/admission.md,
/// "Verifier hook"). A policy rule names it with <c>"verifier": "{name}"</c>; the endpoint and its secret stay in
/// configuration, so an operator editing the live policy can neither read the secret nor point it elsewhere.
/// </summary>
public sealed class VerifierOptions
{
    /// <summary>The endpoint: https, or http on a loopback address (tests and development only).</summary>
    public string Url { get; set; } = "";

    /// <summary>The shared HMAC secret (at least 32 random characters). Prefer <see cref="SecretFile"/>.</summary>
    public string Secret { get; set; } = "";

    /// <summary>File holding the shared secret (trimmed); wins over <see cref="Secret"/>.</summary>
    public string SecretFile { get; set; } = "";

    /// <summary>Longest wait for the endpoint's answer; slower counts as a failure.</summary>
    public int TimeoutMs { get; set; } = 1_000;

    /// <summary>How long an answer is reused for the same request (identity, claims, rule, call); 0 = ask every time.</summary>
    public int CacheSeconds { get; set; }

    /// <summary>
    /// When the endpoint fails (timeout, unreachable, error, unreadable answer): false (default) refuses the call,
    /// true admits it as if approved. Only an explicit true opens it.
    /// </summary>
    public bool FailOpen { get; set; }
}
