namespace Admission.Policy;

/// <summary>What identities of one provider (and optionally one app) may do for free.</summary>
internal sealed class SponsorRule
{
    /// <summary>Name used in every rejection this rule causes.</summary>
    public string? Name { get; set; }

    /// <summary>Provider name from the identity (e.g. "dev", "google", "x"), or "*" for any.</summary>
    public string? Provider { get; set; }

    /// <summary>Optional app: matched against the identity's "aud" (or "azp") claim.</summary>
    public string? App { get; set; }

    /// <summary>Contracts that may be called, each with its allowed 4-byte selectors.</summary>
    public List<ContractRule>? AllowedContracts { get; set; }

    /// <summary>Largest gas limit a sponsored transaction may have.</summary>
    public long? MaxGasPerTx { get; set; }

    /// <summary>Gas limit used when the request gives none (default: <see cref="MaxGasPerTx"/>).</summary>
    public long? DefaultGasPerTx { get; set; }

    /// <summary>Largest value in wei (decimal string) a sponsored transaction may carry; default "0".</summary>
    public string? MaxValuePerTxWei { get; set; }

    /// <summary>Per-identity request rate: a burst window and a sustained window.</summary>
    public RateRule? Rate { get; set; }

    /// <summary>Gas one identity may use per UTC day.</summary>
    public long? DailyGasBudget { get; set; }

    /// <summary>Wei one identity may be charged per UTC day (decimal string; docs/admission.md "Budgets in wei"); absent = no cap.</summary>
    public string? DailySpendCapWei { get; set; }

    /// <summary>Transactions one identity may send per UTC day.</summary>
    public long? DailyTxQuota { get; set; }

    /// <summary>Claims that must have exactly these values (e.g. "verified": "true").</summary>
    public Dictionary<string, string>? RequiredClaims { get; set; }

    /// <summary>The provider account must be at least this many days old (read from <see cref="AccountCreatedClaim"/>).</summary>
    public int? MinAccountAgeDays { get; set; }

    /// <summary>Claim holding the provider account's creation time (unix seconds or ISO 8601); default "created_at".</summary>
    public string? AccountCreatedClaim { get; set; }

    /// <summary>A verifier configured under Admission:Verifiers that must approve each call of this rule; absent = none.</summary>
    public string? Verifier { get; set; }
}
