using System.Globalization;

namespace Admission.Policy;

/// <summary>The policy's wei budget knobs (docs/admission.md "Budgets in wei"): each problem with its path.</summary>
internal static class SpendPolicyValidator
{
    /// <summary>
    /// The largest cap: 30 decimal digits (10^12 ETH). The Redis store adds wei in two 15-digit limbs that Lua's doubles
    /// hold exactly; far above any real budget, and it keeps every total in range.
    /// </summary>
    public static readonly UInt128 MaxWei = UInt128.Parse("999999999999999999999999999999", CultureInfo.InvariantCulture);

    public static void ValidateDocument(PolicyDocument document, List<PolicyError> errors)
    {
        Check(document.GlobalDailySpendCapWei, "$.globalDailySpendCapWei", errors);
        if (document.SpendAlertPercent is { } percent && percent is < 1 or > 100)
        {
            errors.Add(new("$.spendAlertPercent", $"must be between 1 and 100 (percent of a daily spend cap), got {percent}"));
        }
    }

    public static void ValidateRule(SponsorRule rule, string path, List<PolicyError> errors) =>
        Check(rule.DailySpendCapWei, path + ".dailySpendCapWei", errors);

    /// <summary>A validated cap's value (null when absent).</summary>
    public static UInt128? Wei(string? text) => text is null ? null : UInt128.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);

    private static void Check(string? text, string path, List<PolicyError> errors)
    {
        if (text is null)
        {
            return;
        }

        if (!UInt128.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            errors.Add(new(path, $"must be a whole number of wei as a decimal string (e.g. \"50000000000000000\" for 0.05 ETH), got \"{text}\""));
        }
        else if (value > MaxWei)
        {
            errors.Add(new(path, $"must be at most {MaxWei} wei (30 digits), got {text}"));
        }
    }
}
