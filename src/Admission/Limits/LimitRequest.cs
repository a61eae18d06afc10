namespace Admission.Limits;

/// <summary>Everything one request must pass, and the usage it records when it does.</summary>
/// <param name="NowUs">The caller's clock, microseconds since the Unix epoch (replicas share limits, so their clocks must agree, e.g. via NTP).</param>
/// <param name="Rates">GCRA windows, each charged one request.</param>
/// <param name="Quotas">Counters charged <see cref="QuotaCheck.Amount"/> each.</param>
/// <param name="Usage">A board entry to raise on success (top users), or null.</param>
internal sealed record LimitRequest(long NowUs, RateCheck[] Rates, QuotaCheck[] Quotas, BoardIncrement? Usage = null)
{
    /// <summary>Wei counters, checked and taken with the rest (exact 128-bit arithmetic; see <see cref="SpendCheck"/>).</summary>
    public SpendCheck[] Spends { get; init; } = [];

    /// <summary>
    /// The identity the <c>Personal</c> keys and the board's member are named for, when the store is to find its person
    /// itself (<see cref="IRateLimitStore.ResolvesPersons"/>): then those count under the person it belongs to, looked up
    /// in the same atomic step as the take. Null: the keys are used as they are.
    /// </summary>
    public string? Owner { get; init; }
}

/// <summary>A GCRA window on one key; <c>Personal</c>: the key ends with <see cref="LimitRequest.Owner"/>'s name.</summary>
internal readonly record struct RateCheck(string Key, string Rule, long IntervalUs, long ToleranceUs, bool Personal = false);

/// <summary>
/// A counter on one key that may not go above <see cref="Limit"/> (null = count only, never refuse).
/// The counter disappears at <see cref="ResetAtUs"/> (the end of the UTC day for daily quotas).
/// <c>Personal</c>: the key ends with <see cref="LimitRequest.Owner"/>'s name.
/// </summary>
internal readonly record struct QuotaCheck(string Key, string Rule, long Amount, long? Limit, long ResetAtUs, bool Personal = false);

/// <summary>Adds <see cref="Score"/> to <see cref="Member"/> on the board <see cref="BoardKey"/>, which disappears at <see cref="ResetAtUs"/>.</summary>
internal readonly record struct BoardIncrement(string BoardKey, string Member, long Score, long ResetAtUs);

/// <summary>One line of a usage board.</summary>
internal readonly record struct BoardEntry(string Member, long Score);
