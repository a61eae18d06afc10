namespace Admission.Limits;

/// <summary>The names of limits as they appear in -32005 errors (<c>data.reason</c>) and in docs/admission.md.</summary>
public static class LimitRules
{
    public const string LimiterUnavailable = "limiter unavailable";

    /// <summary>A rule's verifier did not answer (or is not configured here) and does not fail open: -32005, like the limiter.</summary>
    public const string VerifierUnavailable = "verifier unavailable";

    /// <summary>A rule's verifier refused the call: a policy denial, -32003.</summary>
    public const string VerifierDenied = "verifier";
    public const string Burst = "rate.burst";
    public const string Sustained = "rate.sustained";
    public const string DailyTxQuota = "dailyTxQuota";
    public const string DailyGasBudget = "dailyGasBudget";
    public const string GlobalDailySponsoredGas = "globalDailySponsoredGas";
    public const string DailySpendCapWei = "dailySpendCapWei";
    public const string GlobalDailySpendCapWei = "globalDailySpendCapWei";
}
