namespace Admission.Limits;

internal enum LimitStatus : byte
{
    Allowed,

    /// <summary>A limit is reached; <see cref="LimitOutcome.Rule"/> names it.</summary>
    Limited,

    /// <summary>The store could not be reached; nothing was consumed.</summary>
    Unavailable,
}

/// <summary>
/// What the store decided, and for a refusal which rule and when a retry can pass. When allowed, <c>SpendTotals</c> holds
/// each <see cref="LimitRequest.Spends"/> counter after the take (for spend alerts), else null; <c>Person</c> the person the
/// store found for <see cref="LimitRequest.Owner"/> and counted under, else null.
/// </summary>
internal readonly record struct LimitOutcome(LimitStatus Status, string? Rule, long RetryAfterMs, UInt128[]? SpendTotals = null)
{
    public string? Person { get; init; }

    public static LimitOutcome Allowed => new(LimitStatus.Allowed, null, 0);

    public static LimitOutcome Unavailable => new(LimitStatus.Unavailable, LimitRules.LimiterUnavailable, 1_000);

    public static LimitOutcome Limited(string rule, long retryAfterUs) =>
        new(LimitStatus.Limited, rule, Math.Max(1, (retryAfterUs + 999) / 1000));
}
