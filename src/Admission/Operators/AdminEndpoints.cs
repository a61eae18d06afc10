using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Admission.Identity;
using Admission.Limits;
using Admission.Policy;
using Admission.Sponsorship;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Admission.Operators;

/// <summary>
/// The operator JSON API under /admin/api (docs/admission.md "Operator API"). Every endpoint first
/// checks <see cref="OperatorAuthorization"/>: 401 without valid credentials, 403 for a non-operator.
/// Bad input is a 400 with a message; nothing here answers 500 to a client mistake.
/// </summary>
public static class AdminEndpoints
{
    public const string Prefix = "/admin/api";
    private const int MaxBodyBytes = 1 << 20;
    private const int MaxTop = 1000;

    public static IEndpointRouteBuilder MapAdmissionAdmin(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapGet(Prefix + "/policy", GetPolicyAsync);
        endpoints.MapPut(Prefix + "/policy", PutPolicyAsync);
        endpoints.MapPost(Prefix + "/policy/dry-run", DryRunAsync);
        endpoints.MapGet(Prefix + "/audit", GetAuditAsync);
        endpoints.MapGet(Prefix + "/usage", GetUsageAsync);
        endpoints.MapPost(Prefix + "/block", context => SetBlockedAsync(context, blocked: true));
        endpoints.MapPost(Prefix + "/unblock", context => SetBlockedAsync(context, blocked: false));
        return endpoints;
    }

    private static async Task GetPolicyAsync(HttpContext context)
    {
        if (await AuthorizeAsync(context) is null)
        {
            return;
        }

        var policy = context.RequestServices.GetRequiredService<PolicyHolder>().Current;
        context.Response.Headers.ETag = "\"" + policy.Version.ToString(CultureInfo.InvariantCulture) + "\"";
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(policy.ToJson(), context.RequestAborted);
    }

    private static async Task PutPolicyAsync(HttpContext context)
    {
        if (await AuthorizeAsync(context) is not { } actor || await ReadBodyAsync(context) is not { } body)
        {
            return;
        }

        var editor = context.RequestServices.GetRequiredService<PolicyEditor>();
        await WriteEditAsync(context, await editor.ReplaceAsync(body, actor, context.RequestAborted));
    }

    private static async Task SetBlockedAsync(HttpContext context, bool blocked)
    {
        if (await AuthorizeAsync(context) is not { } actor || await ReadBodyAsync(context) is not { } body)
        {
            return;
        }

        BlockRequest? request;
        try
        {
            request = JsonSerializer.Deserialize(body, AdminJsonContext.Default.BlockRequest);
        }
        catch (JsonException ex)
        {
            await WriteAsync(context, StatusCodes.Status400BadRequest, new AdminError("invalid JSON: " + ex.Message), AdminJsonContext.Default.AdminError);
            return;
        }

        var identity = request?.Identity;
        var colon = identity?.IndexOf(':') ?? -1;
        if (identity is null || colon <= 0 || colon == identity.Length - 1)
        {
            await WriteAsync(context, StatusCodes.Status400BadRequest, new AdminError("body must be {\"identity\": \"provider:subject\"}"), AdminJsonContext.Default.AdminError);
            return;
        }

        var editor = context.RequestServices.GetRequiredService<PolicyEditor>();
        await WriteEditAsync(context, await editor.SetBlockedAsync(identity, blocked, actor, context.RequestAborted));
    }

    private static async Task DryRunAsync(HttpContext context)
    {
        if (await AuthorizeAsync(context) is null || await ReadBodyAsync(context) is not { } body)
        {
            return;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException ex)
        {
            await BadRequestAsync(context, "invalid JSON: " + ex.Message);
            return;
        }

        using (document)
        {
            var root = document.RootElement;
            var services = context.RequestServices;
            var policy = services.GetRequiredService<PolicyHolder>().Current;
            if (root.ValueKind != JsonValueKind.Object)
            {
                await BadRequestAsync(context, "body must be {\"policy\"?: {...}, \"identity\": {...}, \"request\": {...}}");
                return;
            }

            if (root.TryGetProperty("policy", out var draft) && draft.ValueKind != JsonValueKind.Null)
            {
                if (!PolicyParser.TryParse(draft.GetRawText(), out policy, out var errors))
                {
                    await WriteAsync(context, StatusCodes.Status400BadRequest, new AdminError("the draft policy is invalid", errors), AdminJsonContext.Default.AdminError);
                    return;
                }
            }

            AdmissionIdentity? identity = null;
            string? identityError = null;
            if (!root.TryGetProperty("identity", out var identityElement) || !TryReadIdentity(identityElement, out identity, out identityError))
            {
                await BadRequestAsync(context, identityError ?? "identity is required: {\"provider\", \"subject\", \"issuer\"?, \"claims\"?}");
                return;
            }

            SponsoredCall? call = null;
            string? callError = null;
            if (!root.TryGetProperty("request", out var requestElement) || !SponsoredCall.TryParse(requestElement, out call, out callError))
            {
                await BadRequestAsync(context, "request: " + (callError ?? "is required: {to, data, value?, gas?}"));
                return;
            }

            var gate = services.GetRequiredService<SponsoredTransactionGate>();
            var decision = await gate.AdmitAsync(policy!, identity!, call!, consume: false, context.RequestAborted);
            var result = new DryRunResult(
                decision.Verdict.ToString().ToLowerInvariant(),
                decision.IsAdmitted ? null : decision.ErrorCode,
                decision.Reason,
                decision.Message,
                decision.RetryAfterMs,
                decision.PolicyRule,
                decision.Gas,
                policy!.Version);
            await WriteAsync(context, StatusCodes.Status200OK, result, AdminJsonContext.Default.DryRunResult);
        }
    }

    private static async Task GetAuditAsync(HttpContext context)
    {
        if (await AuthorizeAsync(context) is null)
        {
            return;
        }

        if (!TryCount(context, "count", 100, out var count))
        {
            await BadRequestAsync(context, $"count must be a number from 1 to {MaxTop}");
            return;
        }

        try
        {
            var entries = await context.RequestServices.GetRequiredService<IPolicyStore>().ReadAuditAsync(count, context.RequestAborted);
            await WriteAsync(context, StatusCodes.Status200OK, entries, AdminJsonContext.Default.IReadOnlyListAuditEntry);
        }
        catch (RateLimitStoreUnavailableException ex)
        {
            await WriteAsync(context, StatusCodes.Status503ServiceUnavailable, new AdminError(ex.Message), AdminJsonContext.Default.AdminError);
        }
    }

    private static async Task GetUsageAsync(HttpContext context)
    {
        if (await AuthorizeAsync(context) is null)
        {
            return;
        }

        if (!TryCount(context, "top", 10, out var top))
        {
            await BadRequestAsync(context, $"top must be a number from 1 to {MaxTop}");
            return;
        }

        var usage = context.RequestServices.GetRequiredService<UsageReader>();
        var policy = context.RequestServices.GetRequiredService<PolicyHolder>().Current;
        try
        {
            var (tx, gas) = await usage.GlobalTodayAsync(context.RequestAborted);
            var users = await usage.TopAsync(top, context.RequestAborted);
            IdentityUsage? identity = null;
            if (context.Request.Query.TryGetValue("identity", out var key) && !string.IsNullOrEmpty(key))
            {
                identity = await usage.ForKeyAsync(key.ToString(), context.RequestAborted);
            }

            var resetsAt = DateTimeOffset.FromUnixTimeMilliseconds(LimitKeys.NextDayUs(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1000) / 1000);
            var report = new UsageReport(resetsAt.ToString("O", CultureInfo.InvariantCulture), tx, gas, policy.GlobalDailySponsoredGas, users, identity);
            await WriteAsync(context, StatusCodes.Status200OK, report, AdminJsonContext.Default.UsageReport);
        }
        catch (RateLimitStoreUnavailableException ex)
        {
            await WriteAsync(context, StatusCodes.Status503ServiceUnavailable, new AdminError(ex.Message), AdminJsonContext.Default.AdminError);
        }
    }

    private static async ValueTask<string?> AuthorizeAsync(HttpContext context)
    {
        var check = await context.RequestServices.GetRequiredService<OperatorAuthorization>().AuthorizeAsync(context);
        if (check.IsAllowed)
        {
            return check.Actor;
        }

        if (check.Status == StatusCodes.Status401Unauthorized)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
        }
        else if (check.Status == StatusCodes.Status429TooManyRequests)
        {
            context.Response.Headers.RetryAfter = ((check.RetryAfterMs + 999) / 1000).ToString(CultureInfo.InvariantCulture);
        }

        await WriteAsync(context, check.Status, new AdminError(check.Problem!), AdminJsonContext.Default.AdminError);
        return null;
    }

    private static async ValueTask<string?> ReadBodyAsync(HttpContext context)
    {
        if (context.Request.ContentLength > MaxBodyBytes)
        {
            await WriteAsync(context, StatusCodes.Status413PayloadTooLarge, new AdminError($"body larger than {MaxBodyBytes} bytes"), AdminJsonContext.Default.AdminError);
            return null;
        }

        using var reader = new StreamReader(context.Request.Body);
        var buffer = new char[MaxBodyBytes + 1];
        var read = 0;
        int n;
        while (read < buffer.Length && (n = await reader.ReadAsync(buffer.AsMemory(read), context.RequestAborted)) > 0)
        {
            read += n;
        }

        if (read > MaxBodyBytes)
        {
            await WriteAsync(context, StatusCodes.Status413PayloadTooLarge, new AdminError($"body larger than {MaxBodyBytes} bytes"), AdminJsonContext.Default.AdminError);
            return null;
        }

        if (read == 0)
        {
            await BadRequestAsync(context, "a JSON body is required");
            return null;
        }

        return new string(buffer, 0, read);
    }

    private static bool TryReadIdentity(JsonElement element, out AdmissionIdentity? identity, out string? error)
    {
        identity = null;
        error = null;
        if (element.ValueKind != JsonValueKind.Object ||
            !element.TryGetProperty("provider", out var provider) || provider.ValueKind != JsonValueKind.String ||
            !element.TryGetProperty("subject", out var subject) || subject.ValueKind != JsonValueKind.String)
        {
            error = "identity must be {\"provider\": \"…\", \"subject\": \"…\", \"issuer\"?: \"…\", \"claims\"?: {\"name\": \"value\"}}";
            return false;
        }

        var claims = new Dictionary<string, string>(StringComparer.Ordinal);
        if (element.TryGetProperty("claims", out var claimsElement) && claimsElement.ValueKind == JsonValueKind.Object)
        {
            foreach (var claim in claimsElement.EnumerateObject())
            {
                claims[claim.Name] = claim.Value.ValueKind == JsonValueKind.String ? claim.Value.GetString()! : claim.Value.GetRawText();
            }
        }

        var issuer = element.TryGetProperty("issuer", out var issuerElement) && issuerElement.ValueKind == JsonValueKind.String ? issuerElement.GetString()! : provider.GetString()!;
        identity = new AdmissionIdentity(provider.GetString()!, issuer, subject.GetString()!, claims);
        return true;
    }

    private static bool TryCount(HttpContext context, string name, int fallback, out int count)
    {
        count = fallback;
        return !context.Request.Query.TryGetValue(name, out var text) ||
            (int.TryParse(text.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out count) && count is >= 1 and <= MaxTop);
    }

    private static Task WriteEditAsync(HttpContext context, PolicyEditResult result) => result.Status switch
    {
        PolicyEditStatus.Applied => WriteAsync(context, StatusCodes.Status200OK, new PolicyChanged(result.CurrentVersion, result.Message), AdminJsonContext.Default.PolicyChanged),
        PolicyEditStatus.Invalid => WriteAsync(context, StatusCodes.Status400BadRequest, new AdminError(result.Message, result.Errors), AdminJsonContext.Default.AdminError),
        PolicyEditStatus.Conflict => WriteAsync(context, StatusCodes.Status409Conflict, new AdminError(result.Message, null, result.CurrentVersion), AdminJsonContext.Default.AdminError),
        _ => WriteAsync(context, StatusCodes.Status503ServiceUnavailable, new AdminError(result.Message), AdminJsonContext.Default.AdminError),
    };

    private static Task BadRequestAsync(HttpContext context, string message) =>
        WriteAsync(context, StatusCodes.Status400BadRequest, new AdminError(message), AdminJsonContext.Default.AdminError);

    private static Task WriteAsync<T>(HttpContext context, int status, T value, JsonTypeInfo<T> typeInfo)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(value, typeInfo, contentType: null, context.RequestAborted);
    }
}
