using System.Globalization;

namespace Admission.Policy;

/// <summary>
/// Checks a parsed document and reports every problem with its JSON path, so an operator can fix
/// them all at once. Pure: no I/O, no state.
/// </summary>
internal static class PolicyValidator
{
    /// <summary>Upper bound on any gas figure per transaction: far above any block gas limit, it only catches typos.</summary>
    public const long MaxGasPerTxCeiling = 1_000_000_000;

    /// <summary>The intrinsic gas of the cheapest transaction.</summary>
    public const long MinGasPerTx = 21_000;

    /// <summary>The longest verifier name: short, and safe as a metric label and in log lines.</summary>
    public const int MaxVerifierNameLength = 64;

    /// <summary>A verifier name (policy "verifier", configuration Admission:Verifiers:{name}): 1-64 letters, digits, '-', '_', '.'.</summary>
    public static bool IsVerifierName(string? name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > MaxVerifierNameLength)
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('-' or '_' or '.'))
            {
                return false;
            }
        }

        return true;
    }

    public static List<PolicyError> Validate(PolicyDocument document)
    {
        var errors = new List<PolicyError>();
        if (document.Version < 0)
        {
            errors.Add(new("$.version", "must be 0 or more"));
        }

        if (document.Rules is null)
        {
            errors.Add(new("$.rules", "is required (an empty list sponsors nobody)"));
        }
        else
        {
            var names = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < document.Rules.Count; i++)
            {
                ValidateRule(document.Rules[i], $"$.rules[{i}]", names, errors);
            }
        }

        if (document.GlobalDailySponsoredGas is null)
        {
            errors.Add(new("$.globalDailySponsoredGas", "is required (0 turns sponsorship off)"));
        }
        else if (document.GlobalDailySponsoredGas < 0)
        {
            errors.Add(new("$.globalDailySponsoredGas", "must be 0 or more"));
        }

        if (document.Blocked is not null)
        {
            for (var i = 0; i < document.Blocked.Count; i++)
            {
                var entry = document.Blocked[i];
                var colon = entry?.IndexOf(':') ?? -1;
                if (string.IsNullOrWhiteSpace(entry) || colon <= 0 || colon == entry.Length - 1)
                {
                    errors.Add(new($"$.blocked[{i}]", $"must be \"provider:subject\", got \"{entry}\""));
                }
            }
        }

        SpendPolicyValidator.ValidateDocument(document, errors);
        if (document.Paid is { } paid)
        {
            ValidateRate(paid.PerSender, "$.paid.perSender", required: false, errors);
            ValidateRate(paid.PerClientIp, "$.paid.perClientIp", required: false, errors);
        }

        if (document.BlockShare is { } share)
        {
            if (share.SponsoredPercent is < 0 or > 100)
            {
                errors.Add(new("$.blockShare.sponsoredPercent", $"must be a whole percent between 0 and 100, got {share.SponsoredPercent}"));
            }

            if (share.MaxPerIdentityPercent is < 1 or > 100)
            {
                errors.Add(new("$.blockShare.maxPerIdentityPercent", $"must be a whole percent between 1 and 100 (100: no cap), got {share.MaxPerIdentityPercent}"));
            }
        }

        return errors;
    }

    private static void ValidateRule(SponsorRule? rule, string path, HashSet<string> names, List<PolicyError> errors)
    {
        if (rule is null)
        {
            errors.Add(new(path, "must be an object"));
            return;
        }

        if (string.IsNullOrWhiteSpace(rule.Name))
        {
            errors.Add(new(path + ".name", "is required"));
        }
        else if (!names.Add(rule.Name))
        {
            errors.Add(new(path + ".name", $"\"{rule.Name}\" is used by an earlier rule; names must be unique"));
        }

        if (string.IsNullOrWhiteSpace(rule.Provider))
        {
            errors.Add(new(path + ".provider", "is required (a provider name, or \"*\" for any)"));
        }

        if (rule.App is { } app && string.IsNullOrWhiteSpace(app))
        {
            errors.Add(new(path + ".app", "must not be empty; leave it out to match any app"));
        }

        ValidateContracts(rule.AllowedContracts, path + ".allowedContracts", errors);

        if (rule.MaxGasPerTx is null)
        {
            errors.Add(new(path + ".maxGasPerTx", "is required"));
        }
        else if (rule.MaxGasPerTx is < MinGasPerTx or > MaxGasPerTxCeiling)
        {
            errors.Add(new(path + ".maxGasPerTx", $"must be between {MinGasPerTx} and {MaxGasPerTxCeiling}, got {rule.MaxGasPerTx}"));
        }

        if (rule.DefaultGasPerTx is { } defaultGas && (defaultGas < MinGasPerTx || (rule.MaxGasPerTx is { } max && defaultGas > max)))
        {
            errors.Add(new(path + ".defaultGasPerTx", $"must be between {MinGasPerTx} and maxGasPerTx, got {defaultGas}"));
        }

        if (rule.MaxValuePerTxWei is { } value && !UInt128.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out _))
        {
            errors.Add(new(path + ".maxValuePerTxWei", $"must be a decimal number of wei as a string, got \"{value}\""));
        }

        ValidateRate(rule.Rate, path + ".rate", required: true, errors);

        if (rule.DailyGasBudget is < 0)
        {
            errors.Add(new(path + ".dailyGasBudget", "must be 0 or more"));
        }

        SpendPolicyValidator.ValidateRule(rule, path, errors);
        if (rule.DailyTxQuota is < 0)
        {
            errors.Add(new(path + ".dailyTxQuota", "must be 0 or more"));
        }

        if (rule.RequiredClaims is not null)
        {
            foreach (var (claim, expected) in rule.RequiredClaims)
            {
                if (string.IsNullOrWhiteSpace(claim))
                {
                    errors.Add(new(path + ".requiredClaims", "claim names must not be empty"));
                }
                else if (expected is null)
                {
                    errors.Add(new(path + ".requiredClaims." + claim, "must be a string (claims are compared as text, e.g. \"true\"), got null"));
                }
            }
        }

        if (rule.MinAccountAgeDays is < 0)
        {
            errors.Add(new(path + ".minAccountAgeDays", "must be 0 or more"));
        }

        if (rule.AccountCreatedClaim is { } createdClaim && string.IsNullOrWhiteSpace(createdClaim))
        {
            errors.Add(new(path + ".accountCreatedClaim", "must not be empty"));
        }

        // Whether the name is configured on this host is checked where a policy is submitted (VerifierDirectory).
        if (rule.Verifier is { } verifier && !IsVerifierName(verifier))
        {
            errors.Add(new(path + ".verifier", $"must be the name of a verifier configured under Admission:Verifiers (letters, digits, '-', '_', '.'), got \"{verifier}\""));
        }
    }

    private static void ValidateContracts(List<ContractRule>? contracts, string path, List<PolicyError> errors)
    {
        if (contracts is null || contracts.Count == 0)
        {
            errors.Add(new(path, "must list at least one contract"));
            return;
        }

        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < contracts.Count; i++)
        {
            var contract = contracts[i];
            var at = $"{path}[{i}]";
            if (contract is null)
            {
                errors.Add(new(at, "must be an object"));
                continue;
            }

            if (contract.Address != CompiledRule.AnyContract && !HexText.IsHexOfLength(contract.Address, 20))
            {
                errors.Add(new(at + ".address", $"must be a 20-byte hex address (0x + 40 hex digits) or \"*\" for any contract, got \"{contract.Address}\""));
            }
            else if (!seen.Add(contract.Address!))
            {
                errors.Add(new(at + ".address", $"{contract.Address} is listed twice"));
            }

            if (contract.Selectors is null)
            {
                continue;
            }

            for (var j = 0; j < contract.Selectors.Count; j++)
            {
                if (!HexText.IsHexOfLength(contract.Selectors[j], 4))
                {
                    errors.Add(new($"{at}.selectors[{j}]", $"must be a 4-byte selector (0x + 8 hex digits), got \"{contract.Selectors[j]}\""));
                }
            }
        }
    }

    private static void ValidateRate(RateRule? rate, string path, bool required, List<PolicyError> errors)
    {
        if (rate is null)
        {
            if (required)
            {
                errors.Add(new(path, "is required (with a burst and/or a sustained window)"));
            }

            return;
        }

        if (rate.Burst is null && rate.Sustained is null)
        {
            errors.Add(new(path, "needs a burst or a sustained window"));
        }

        ValidateWindow(rate.Burst, path + ".burst", errors);
        ValidateWindow(rate.Sustained, path + ".sustained", errors);
    }

    private static void ValidateWindow(LimitWindow? window, string path, List<PolicyError> errors)
    {
        if (window is null)
        {
            return;
        }

        if (window.Count < 1)
        {
            errors.Add(new(path + ".count", $"must be at least 1, got {window.Count}"));
        }

        if (window.PeriodSeconds is < 1 or > 366L * 86_400)
        {
            errors.Add(new(path + ".periodSeconds", $"must be between 1 and {366L * 86_400} (a year), got {window.PeriodSeconds}"));
        }
        else if (window.Count >= 1 && window.PeriodSeconds * 1_000_000 / window.Count < 1)
        {
            errors.Add(new(path, "allows more than one request per microsecond; raise periodSeconds or lower count"));
        }
    }
}
