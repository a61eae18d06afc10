namespace Admission.Limits;

/// <summary>The names of limits as they appear in -32005 errors (<c>data.reason</c>) and in docs/admission.md.</summary>
public static class LimitRules
{
    public const string LimiterUnavailable = "limiter unavailable";
    public const string Burst = "rate.burst";
    public const string Sustained = "rate.sustained";
    public const string DailyTxQuota = "dailyTxQuota";
    public const string DailyGasBudget = "dailyGasBudget";
    public const string GlobalDailySponsoredGas = "globalDailySponsoredGas";
}
