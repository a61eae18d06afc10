namespace Admission.Limits;

/// <summary>
/// A wei counter on one key that may not go above <see cref="LimitWei"/> (null = count only). Wei amounts outgrow a
/// 64-bit counter (10 ETH is 10^19 wei), so they are kept apart from <see cref="QuotaCheck"/>: 128-bit in the embedded
/// store, decimal strings with exact two-limb arithmetic in Redis (acquire.lua). The counter disappears at
/// <see cref="ResetAtUs"/> (the end of the UTC day). <c>Personal</c>: the key ends with <see cref="LimitRequest.Owner"/>'s name.
/// </summary>
internal readonly record struct SpendCheck(string Key, string Rule, UInt128 AmountWei, UInt128? LimitWei, long ResetAtUs, bool Personal = false);

/// <summary>
/// What one admitted transaction reserved, recorded once its hash is known so that its receipt can settle it:
/// the counters it was taken from and how much.
/// </summary>
internal sealed record SpendReservation(string TxHash, ulong BlockNumber, string Identity, string IdentityKey, string GlobalKey, UInt128 AmountWei, UInt128 PriceWei, long ExpiresAtUs)
{
    /// <summary>A reservation no receipt settled within this time is forgotten (its day's counters expired long before).</summary>
    public const long KeepUs = 2 * LimitKeys.MicrosecondsPerDay;
}

/// <summary>A reservation waiting for its receipt: the transaction and the sequencer block it is in.</summary>
public readonly record struct PendingSpend(string TxHash, ulong BlockNumber);

/// <summary>What a settlement did: nothing (already settled, or unknown), or charged and released that much.</summary>
public readonly record struct SettleOutcome(bool Settled, string? Identity, UInt128 ChargedWei, UInt128 ReleasedWei)
{
    public static SettleOutcome NotFound => new(false, null, UInt128.Zero, UInt128.Zero);
}
