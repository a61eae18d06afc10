using System.Globalization;
using Admission.Limits;

namespace Admission.Spending;

/// <summary>
/// Today's wei spend of an identity or of everyone against its cap (docs/admission.md "Budgets in wei"): exact wei as
/// decimal strings, the same in the chain's unit (<see cref="Currency"/>, 10^18 wei) for people, and the burn rate:
/// today's spend over the time since 00:00 UTC, with the moment the cap is reached at that rate if that is today.
/// </summary>
public sealed record SpendUsage
{
    public required string PriceWei { get; init; }

    /// <summary>"gasUsed" (settled on execution receipts) or "gasLimit" (no execution node).</summary>
    public required string Basis { get; init; }

    public required string BasisNote { get; init; }

    public required string Currency { get; init; }

    public required string SpentWeiToday { get; init; }

    public required string SpentToday { get; init; }

    public string? CapWei { get; init; }

    public string? Cap { get; init; }

    public string? RemainingWei { get; init; }

    public string? Remaining { get; init; }

    public required string BurnRateWeiPerHour { get; init; }

    public required string BurnRatePerHour { get; init; }

    /// <summary>When the cap is reached at the burn rate, if before the daily reset (ISO 8601, UTC); else null.</summary>
    public string? CapReachedAt { get; init; }

    /// <summary>The policy's spendAlertPercent.</summary>
    public int? AlertPercent { get; init; }

    internal static SpendUsage Build(UInt128 spent, UInt128? cap, long nowUs, SponsoredGasPrice price, string currency, int? alertPercent)
    {
        // At least a minute of the day, so the first seconds after midnight do not project a huge rate.
        var elapsedUs = (ulong)Math.Max(60_000_000, nowUs - (LimitKeys.Day(nowUs) * LimitKeys.MicrosecondsPerDay));
        var burn = spent * 3_600_000_000UL / elapsedUs;
        UInt128? remaining = cap is { } c ? (c > spent ? c - spent : UInt128.Zero) : null;
        string? reachedAt = null;
        if (remaining is { } left && burn > 0)
        {
            var atUs = left == 0 ? nowUs : nowUs + (long)UInt128.Min(left * 3_600_000_000UL / burn, (UInt128)LimitKeys.MicrosecondsPerDay);
            if (atUs < LimitKeys.NextDayUs(nowUs))
            {
                reachedAt = DateTimeOffset.FromUnixTimeMilliseconds(atUs / 1000).ToString("O", CultureInfo.InvariantCulture);
            }
        }

        return new SpendUsage
        {
            PriceWei = Text(price.PriceWei),
            Basis = price.Basis,
            BasisNote = price.BasisNote,
            Currency = currency,
            SpentWeiToday = Text(spent),
            SpentToday = WeiText.Ether(spent),
            CapWei = cap is { } capWei ? Text(capWei) : null,
            Cap = cap is { } capEther ? WeiText.Ether(capEther) : null,
            RemainingWei = remaining is { } r ? Text(r) : null,
            Remaining = remaining is { } rEther ? WeiText.Ether(rEther) : null,
            BurnRateWeiPerHour = Text(burn),
            BurnRatePerHour = WeiText.Ether(burn),
            CapReachedAt = reachedAt,
            AlertPercent = alertPercent,
        };
    }

    private static string Text(UInt128 wei) => wei.ToString(CultureInfo.InvariantCulture);
}
