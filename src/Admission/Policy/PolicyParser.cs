using System.Collections.Frozen;
using System.Globalization;
using System.Text.Json;

namespace Admission.Policy;

/// <summary>JSON text → validated <see cref="AdmissionPolicy"/>, or the list of problems with their paths.</summary>
internal static class PolicyParser
{
    public const string DefaultAccountCreatedClaim = "created_at";

    public static bool TryParse(string json, out AdmissionPolicy? policy, out List<PolicyError> errors)
    {
        PolicyDocument? document;
        try
        {
            document = JsonSerializer.Deserialize(json, PolicyJsonContext.Default.PolicyDocument);
        }
        catch (JsonException ex)
        {
            policy = null;
            errors = [Problem(ex)];
            return false;
        }

        return TryCompileDocument(document, out policy, out errors);
    }

    /// <summary>The same as <see cref="TryParse(string, out AdmissionPolicy?, out List{PolicyError})"/> for a document that is part of a larger JSON value.</summary>
    public static bool TryParse(JsonElement json, out AdmissionPolicy? policy, out List<PolicyError> errors)
    {
        PolicyDocument? document;
        try
        {
            document = json.Deserialize(PolicyJsonContext.Default.PolicyDocument);
        }
        catch (JsonException ex)
        {
            policy = null;
            errors = [Problem(ex)];
            return false;
        }

        return TryCompileDocument(document, out policy, out errors);
    }

    /// <summary>A document that is not JSON, or not of the policy's shape, as a problem with its path.</summary>
    internal static PolicyError Problem(JsonException ex) => new(ex.Path ?? "$", Describe(ex));

    private static bool TryCompileDocument(PolicyDocument? document, out AdmissionPolicy? policy, out List<PolicyError> errors)
    {
        policy = null;
        if (document is null)
        {
            errors = [new PolicyError("$", "the policy must be a JSON object, got null")];
            return false;
        }

        return TryCompile(document, out policy, out errors);
    }

    public static bool TryCompile(PolicyDocument document, out AdmissionPolicy? policy, out List<PolicyError> errors)
    {
        errors = PolicyValidator.Validate(document);
        if (errors.Count > 0)
        {
            policy = null;
            return false;
        }

        var rules = new CompiledRule[document.Rules!.Count];
        for (var i = 0; i < rules.Length; i++)
        {
            rules[i] = Compile(document.Rules[i]);
        }

        var blocked = (document.Blocked ?? []).ToFrozenSet(StringComparer.Ordinal);
        var paid = document.Paid;
        policy = new AdmissionPolicy(
            document,
            rules,
            blocked,
            Window("paid.perSender.burst", paid?.PerSender?.Burst),
            Window("paid.perSender.sustained", paid?.PerSender?.Sustained),
            Window("paid.perClientIp.burst", paid?.PerClientIp?.Burst),
            Window("paid.perClientIp.sustained", paid?.PerClientIp?.Sustained));
        return true;
    }

    private static CompiledRule Compile(SponsorRule rule)
    {
        var contracts = new Dictionary<string, ContractAllowance>(StringComparer.Ordinal);
        foreach (var contract in rule.AllowedContracts!)
        {
            var selectors = new HashSet<uint>();
            foreach (var selector in contract.Selectors ?? [])
            {
                selectors.Add(uint.Parse(selector.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
            }

            contracts[contract.Address!.ToLowerInvariant()] = new ContractAllowance(selectors.ToFrozenSet());
        }

        var claims = new List<KeyValuePair<string, string>>();
        foreach (var pair in rule.RequiredClaims ?? [])
        {
            claims.Add(pair);
        }

        return new CompiledRule
        {
            Name = rule.Name!,
            Provider = rule.Provider!,
            App = rule.App,
            Contracts = contracts.ToFrozenDictionary(StringComparer.Ordinal),
            MaxGasPerTx = rule.MaxGasPerTx!.Value,
            DefaultGasPerTx = rule.DefaultGasPerTx ?? rule.MaxGasPerTx!.Value,
            MaxValuePerTxWei = rule.MaxValuePerTxWei is { } value ? UInt128.Parse(value, CultureInfo.InvariantCulture) : UInt128.Zero,
            Burst = Window("rate.burst", rule.Rate?.Burst),
            Sustained = Window("rate.sustained", rule.Rate?.Sustained),
            DailyGasBudget = rule.DailyGasBudget,
            DailyTxQuota = rule.DailyTxQuota,
            DailySpendCapWei = SpendPolicyValidator.Wei(rule.DailySpendCapWei),
            RequiredClaims = [.. claims],
            MinAccountAgeDays = rule.MinAccountAgeDays,
            AccountCreatedClaim = rule.AccountCreatedClaim ?? DefaultAccountCreatedClaim,
            Verifier = rule.Verifier,
        };
    }

    private static RateWindow? Window(string name, LimitWindow? window) => window is null ? null : RateWindow.From(name, window);

    // System.Text.Json messages name .NET types; say it in the document's terms instead.
    private static string Describe(JsonException ex)
    {
        var message = ex.Message;
        if (message.Contains("could not be mapped to any .NET member", StringComparison.Ordinal))
        {
            var start = message.IndexOf('\'');
            var end = start >= 0 ? message.IndexOf('\'', start + 1) : -1;
            return end > start ? $"unknown property \"{message[(start + 1)..end]}\"" : "unknown property";
        }

        if (message.StartsWith("The JSON value could not be converted", StringComparison.Ordinal) && ex.Path?.Contains(".requiredClaims", StringComparison.Ordinal) == true)
        {
            return "must be a string (claims are compared as text, e.g. \"true\" or \"42\")";
        }

        if (message.StartsWith("The JSON value could not be converted", StringComparison.Ordinal))
        {
            return "wrong type of value here (a number, string, list or object was expected instead)";
        }

        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return "invalid JSON: " + (cut > 0 ? message[..cut] : message);
    }
}
