using System.Collections.Frozen;

namespace Admission.Policy;

/// <summary>A validated <see cref="SponsorRule"/> in the form the gate reads on every request.</summary>
internal sealed class CompiledRule
{
    /// <summary>An allowed-contract address that stands for every contract.</summary>
    public const string AnyContract = "*";

    public required string Name { get; init; }

    public required string Provider { get; init; }

    public string? App { get; init; }

    /// <summary>Lower-case "0x…" address → allowed selectors.</summary>
    public required FrozenDictionary<string, ContractAllowance> Contracts { get; init; }

    public required long MaxGasPerTx { get; init; }

    public required long DefaultGasPerTx { get; init; }

    public required UInt128 MaxValuePerTxWei { get; init; }

    public RateWindow? Burst { get; init; }

    public RateWindow? Sustained { get; init; }

    public long? DailyGasBudget { get; init; }

    public long? DailyTxQuota { get; init; }

    /// <summary>Wei one identity may be charged per UTC day, or null for no cap.</summary>
    public UInt128? DailySpendCapWei { get; init; }

    public required KeyValuePair<string, string>[] RequiredClaims { get; init; }

    public int? MinAccountAgeDays { get; init; }

    public required string AccountCreatedClaim { get; init; }

    /// <summary>The configured verifier that must approve each call, or null.</summary>
    public string? Verifier { get; init; }

    /// <summary>What may be called on <paramref name="to"/> (lower-case "0x…"), or null when the contract is not allowed.</summary>
    public ContractAllowance? AllowanceFor(string to) =>
        Contracts.TryGetValue(to, out var allowance) || Contracts.TryGetValue(AnyContract, out allowance) ? allowance : null;

    public bool Matches(Identity.AdmissionIdentity identity)
    {
        if (Provider != "*" && !string.Equals(Provider, identity.Provider, StringComparison.Ordinal))
        {
            return false;
        }

        if (App is null)
        {
            return true;
        }

        return (identity.Claims.TryGetValue("aud", out var aud) && ContainsWord(aud, App))
            || (identity.Claims.TryGetValue("azp", out var azp) && string.Equals(azp, App, StringComparison.Ordinal));
    }

    // "aud" may hold several audiences separated by spaces or commas.
    private static bool ContainsWord(string list, string word)
    {
        foreach (var part in list.Split([' ', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (string.Equals(part, word, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
