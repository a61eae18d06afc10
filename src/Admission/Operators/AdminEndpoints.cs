using System.Globalization;
using Admission.Limits;
using Admission.Policy;
using Admission.Sponsorship;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace Admission.Operators;

/// <summary>
/// The operator JSON API under /admin/api (docs/admission.md "Operator API"). The group requires the
/// <see cref="OperatorPolicy"/> (401 without valid credentials, 403 for a non-operator, 429 after too many
/// wrong keys) and limits request bodies to <see cref="AdminRequestBody.MaxBytes"/>. Bad input is a 400
/// with a message; nothing here answers 500 to a client mistake. The dry run is in <see cref="AdminDryRun"/>.
/// </summary>
public static class AdminEndpoints
{
    public const string Prefix = "/admin/api";
    internal const int MaxTop = 1000;

    public static IEndpointRouteBuilder MapAdmissionAdmin(this IEndpointRouteBuilder endpoints)
    {
        var admin = endpoints.MapOperatorApi();
        admin.MapGet("/policy", GetPolicyAsync);
        admin.MapPut("/policy", PutPolicyAsync);
        admin.MapPost("/policy/dry-run", AdminDryRun.RunAsync);
        admin.MapGet("/audit", GetAuditAsync);
        admin.MapGet("/usage", GetUsageAsync);
        admin.MapPost("/block", (HttpContext context, PolicyEditor editor) => SetBlockedAsync(context, editor, blocked: true));
        admin.MapPost("/unblock", (HttpContext context, PolicyEditor editor) => SetBlockedAsync(context, editor, blocked: false));
        admin.MapPost("/unlink", UnlinkAsync);
        admin.MapGet("/decisions", ConsoleEndpoints.GetDecisions);
        admin.MapPost("/policy/replay", ConsoleEndpoints.ReplayAsync);
        return endpoints;
    }

    /// <summary>
    /// A route group under <see cref="Prefix"/> with the operator policy and the body limit, for endpoints the host
    /// adds beside Admission's own (the console's history), so none of them can be mapped without operator auth.
    /// </summary>
    public static RouteGroupBuilder MapOperatorApi(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        return endpoints.MapGroup(Prefix)
            .RequireAuthorization(OperatorPolicy.Name)
            .WithMetadata(new RequestSizeLimitAttribute(AdminRequestBody.MaxBytes));
    }

    private static async Task GetPolicyAsync(HttpContext context, PolicyHolder holder)
    {
        var policy = holder.Current;
        context.Response.Headers.ETag = "\"" + policy.Version.ToString(CultureInfo.InvariantCulture) + "\"";
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(policy.ToJson(), context.RequestAborted);
    }

    private static async Task<IResult> PutPolicyAsync(HttpContext context, PolicyEditor editor)
    {
        var body = await AdminRequestBody.ReadAsync(context.Request, PolicyJsonContext.Default.PolicyDocument);
        if (body.JsonError is { } malformed)
        {
            // A document that does not fit the policy's shape is an invalid policy, reported with its path.
            return Invalid(new AdminError("the policy is invalid", [PolicyParser.Problem(malformed)]));
        }

        if (body.Value is not { } document)
        {
            return body.Reply;
        }

        return EditResult(await editor.ReplaceAsync(document, OperatorActor.Of(context), context.RequestAborted));
    }

    private static async Task<IResult> SetBlockedAsync(HttpContext context, PolicyEditor editor, bool blocked)
    {
        var body = await AdminRequestBody.ReadAsync(context.Request, AdminJsonContext.Default.BlockRequest);
        if (body.Value is not { } request)
        {
            return body.Reply;
        }

        var identity = request.Identity;
        var colon = identity?.IndexOf(':') ?? -1;
        if (identity is null || colon <= 0 || colon == identity.Length - 1)
        {
            return Invalid(new AdminError("body must be {\"identity\": \"provider:subject\"}"));
        }

        return EditResult(await editor.SetBlockedAsync(identity, blocked, OperatorActor.Of(context), context.RequestAborted));
    }

    private static async Task<IResult> GetAuditAsync(HttpContext context, IPolicyStore store)
    {
        if (!TryCount(context, "count", 100, out var count))
        {
            return Invalid(new AdminError($"count must be a number from 1 to {MaxTop}"));
        }

        try
        {
            var entries = await store.ReadAuditAsync(count, context.RequestAborted);
            return TypedResults.Json(entries, AdminJsonContext.Default.IReadOnlyListAuditEntry);
        }
        catch (RateLimitStoreUnavailableException ex)
        {
            return Unavailable(ex.Message);
        }
    }

    private static async Task<IResult> GetUsageAsync(HttpContext context, UsageReader usage, PolicyHolder holder, TimeProvider time)
    {
        if (!TryCount(context, "top", 10, out var top))
        {
            return Invalid(new AdminError($"top must be a number from 1 to {MaxTop}"));
        }

        var policy = holder.Current;
        try
        {
            var (tx, gas) = await usage.GlobalTodayAsync(context.RequestAborted);
            var users = await usage.TopAsync(top, context.RequestAborted);
            IdentityUsage? identity = null;
            if (context.Request.Query.TryGetValue("identity", out var key) && !string.IsNullOrEmpty(key))
            {
                identity = await usage.ForKeyAsync(key.ToString(), context.RequestAborted);
            }

            var resetsAt = DateTimeOffset.FromUnixTimeMilliseconds(LimitKeys.NextDayUs(time.GetUtcNow().ToUnixTimeMilliseconds() * 1000) / 1000);
            var report = new UsageReport(resetsAt.ToString("O", CultureInfo.InvariantCulture), tx, gas, policy.GlobalDailySponsoredGas, users, identity)
            {
                Spend = await usage.GlobalSpendAsync(context.RequestAborted),
            };
            return TypedResults.Json(report, AdminJsonContext.Default.UsageReport);
        }
        catch (RateLimitStoreUnavailableException ex)
        {
            return Unavailable(ex.Message);
        }
    }

    /// <summary>An operator takes a login or wallet out of its person (audited with the operator as actor).</summary>
    private static async Task<IResult> UnlinkAsync(HttpContext context, People.PersonLinking people)
    {
        var body = await AdminRequestBody.ReadAsync(context.Request, People.PeopleJsonContext.Default.UnlinkRequest);
        if (body.Error is not null)
        {
            return body.Reply;
        }

        if (body.Value!.Identity is not { Length: > 0 } identity)
        {
            return Invalid(new AdminError("identity (\"provider:subject\" or \"wallet:0x…\") is required"));
        }

        try
        {
            var outcome = await people.UnlinkAsync(OperatorActor.Of(context), identity, identity, context.RequestAborted);
            return outcome.Person is null
                ? TypedResults.Json(new AdminError($"{identity} is not linked to any person"), AdminJsonContext.Default.AdminError, statusCode: StatusCodes.Status404NotFound)
                : TypedResults.Json(new PolicyChanged(people.PolicyVersion, $"{identity} unlinked from {outcome.Person}"), AdminJsonContext.Default.PolicyChanged);
        }
        catch (RateLimitStoreUnavailableException ex)
        {
            return Unavailable(ex.Message);
        }
    }

    internal static bool TryCount(HttpContext context, string name, int fallback, out int count)
    {
        count = fallback;
        return !context.Request.Query.TryGetValue(name, out var text) ||
            (int.TryParse(text.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out count) && count is >= 1 and <= MaxTop);
    }

    private static IResult EditResult(PolicyEditResult result) => result.Status switch
    {
        PolicyEditStatus.Applied => TypedResults.Json(new PolicyChanged(result.CurrentVersion, result.Message), AdminJsonContext.Default.PolicyChanged),
        PolicyEditStatus.Invalid => Invalid(new AdminError(result.Message, result.Errors)),
        PolicyEditStatus.Conflict => TypedResults.Json(new AdminError(result.Message, null, result.CurrentVersion), AdminJsonContext.Default.AdminError, statusCode: StatusCodes.Status409Conflict),
        _ => Unavailable(result.Message),
    };

    internal static IResult Invalid(AdminError error) =>
        TypedResults.Json(error, AdminJsonContext.Default.AdminError, statusCode: StatusCodes.Status400BadRequest);

    private static IResult Unavailable(string message) =>
        TypedResults.Json(new AdminError(message), AdminJsonContext.Default.AdminError, statusCode: StatusCodes.Status503ServiceUnavailable);
}
