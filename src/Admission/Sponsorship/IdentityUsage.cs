namespace Admission.Sponsorship;

/// <summary>An identity's limits and what is left of them now (for sequencer_getIdentity and the operator API).</summary>
public sealed record IdentityUsage
{
    public required string Identity { get; init; }

    /// <summary>The person the identity is linked into, whose usage this is; null when it is linked to nothing.</summary>
    public People.PersonView? Person { get; init; }

    /// <summary>The policy rule that applies, or null when none does.</summary>
    public string? Rule { get; init; }

    public bool Blocked { get; init; }

    public long PolicyVersion { get; init; }

    public WindowUsage? Burst { get; init; }

    public WindowUsage? Sustained { get; init; }

    public long TxToday { get; init; }

    public long? DailyTxQuota { get; init; }

    public long GasToday { get; init; }

    public long? DailyGasBudget { get; init; }

    public long GlobalGasToday { get; init; }

    public long GlobalDailySponsoredGas { get; init; }

    /// <summary>Today's wei charged to the identity against its rule's cap, or null when no price is set.</summary>
    public Spending.SpendUsage? Spend { get; init; }

    /// <summary>When the daily counters start again (ISO 8601, UTC).</summary>
    public required string ResetsAt { get; init; }
}

/// <summary>A rate window: its size and how many requests could be sent right now.</summary>
public sealed record WindowUsage(long Count, long PeriodSeconds, long Remaining);
