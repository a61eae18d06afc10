using System.Text.Json;
using Admission.Policy;
using Admission.Sponsorship;

namespace Admission.Operators;

/// <summary>Error body of the operator API: a message, and for an invalid policy every problem with its path.</summary>
internal sealed record AdminError(string Error, IReadOnlyList<PolicyError>? Errors = null, long? CurrentVersion = null);

/// <summary>Reply to a successful change.</summary>
internal sealed record PolicyChanged(long Version, string Message);

/// <summary>Body of POST /admin/api/block and /unblock.</summary>
internal sealed record BlockRequest(string? Identity);

/// <summary>Body of POST /admin/api/policy/dry-run: an optional draft policy, the identity to try and the sponsored call.</summary>
internal sealed record DryRunRequest(JsonElement? Policy, DryRunIdentity? Identity, JsonElement? Request);

/// <summary>The identity of a dry run, as its token would show it (issuer defaults to the provider).</summary>
internal sealed record DryRunIdentity(string? Provider, string? Subject, string? Issuer, Dictionary<string, JsonElement>? Claims);

/// <summary>The dry-run answer: what would happen to the request under the (draft) policy, limits read but not taken.</summary>
internal sealed record DryRunResult(string Verdict, int? Code, string Reason, string Message, long RetryAfterMs, string? Rule, ulong Gas, long PolicyVersion);

/// <summary>Today's usage: totals, top identities by gas, and one identity when asked.</summary>
internal sealed record UsageReport(string ResetsAt, long GlobalTxToday, long GlobalGasToday, long GlobalDailySponsoredGas, IReadOnlyList<TopUser> Top, IdentityUsage? Identity)
{
    /// <summary>Today's wei spend of all identities against the global cap (docs/admission.md "Budgets in wei").</summary>
    public Spending.SpendUsage? Spend { get; init; }
}
