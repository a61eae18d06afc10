using System.Globalization;
using System.Text.Json;
using Admission.Policy;
using Admission.Sponsorship;
using Microsoft.AspNetCore.Http;

namespace Admission.Operators;

/// <summary>
/// The operator console's reads of recent traffic (docs/admission.md "Operator console"): GET /admin/api/decisions
/// lists the latest sponsored decisions (refusals only with <c>refused=true</c>), POST /admin/api/policy/replay tries a
/// draft policy against them (<see cref="PolicyReplay"/>). Both are in the operator group of <see cref="AdminEndpoints"/>.
/// </summary>
internal static class ConsoleEndpoints
{
    public static IResult GetDecisions(HttpContext context, RecentDecisions recent)
    {
        if (!AdminEndpoints.TryCount(context, "count", 50, out var count))
        {
            return AdminEndpoints.Invalid(new AdminError($"count must be a number from 1 to {AdminEndpoints.MaxTop}"));
        }

        var refusedOnly = false;
        if (context.Request.Query.TryGetValue("refused", out var refused) && !bool.TryParse(refused.ToString(), out refusedOnly))
        {
            return AdminEndpoints.Invalid(new AdminError("refused must be true or false"));
        }

        var latest = recent.Latest(RecentDecisions.Capacity);
        var rows = new List<DecisionRow>(count);
        for (var i = latest.Count - 1; i >= 0 && rows.Count < count; i--)
        {
            var entry = latest[i];
            var decision = entry.Decision;
            if (refusedOnly && decision.IsAdmitted)
            {
                continue;
            }

            rows.Add(new DecisionRow(
                entry.At.ToString("O", CultureInfo.InvariantCulture),
                entry.Identity.Key,
                AdmissionMeter.VerdictOf(decision),
                decision.Reason,
                decision.Message,
                decision.PolicyRule,
                entry.Call.To));
        }

        return TypedResults.Json(rows, AdminJsonContext.Default.IReadOnlyListDecisionRow);
    }

    public static async Task<IResult> ReplayAsync(HttpContext context, PolicyHolder holder, RecentDecisions recent)
    {
        var body = await AdminRequestBody.ReadAsync(context.Request, AdminJsonContext.Default.ReplayRequest);
        if (body.Value is not { } request)
        {
            return body.Reply;
        }

        if (request.Policy is not { ValueKind: JsonValueKind.Object } draftJson)
        {
            return AdminEndpoints.Invalid(new AdminError("policy is required: the draft policy document"));
        }

        if (request.Count is < 1 or > RecentDecisions.Capacity)
        {
            return AdminEndpoints.Invalid(new AdminError($"count must be a number from 1 to {RecentDecisions.Capacity}"));
        }

        if (!PolicyParser.TryParse(draftJson, out var draft, out var errors))
        {
            return AdminEndpoints.Invalid(new AdminError("the draft policy is invalid", errors));
        }

        var decisions = recent.Latest(request.Count ?? RecentDecisions.Capacity);
        var report = await PolicyReplay.RunAsync(holder, draft!, decisions, context.RequestAborted);
        return TypedResults.Json(report, AdminJsonContext.Default.ReplayReport);
    }
}

/// <summary>One line of GET /admin/api/decisions.</summary>
internal sealed record DecisionRow(string At, string Identity, string Verdict, string Reason, string Message, string? Rule, string To);

/// <summary>Body of POST /admin/api/policy/replay: the draft, and how many of the latest decisions to replay (default all kept).</summary>
internal sealed record ReplayRequest(JsonElement? Policy, int? Count);
