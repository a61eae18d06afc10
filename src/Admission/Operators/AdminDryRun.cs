using System.Text.Json;
using Admission.Identity;
using Admission.Policy;
using Admission.Sponsorship;
using Microsoft.AspNetCore.Http;

namespace Admission.Operators;

/// <summary>
/// POST /admin/api/policy/dry-run: what the sponsored gate would decide for a request under the current
/// policy or a draft, with limits read but never taken, so an operator can try a change before making it.
/// </summary>
internal static class AdminDryRun
{
    private const string IdentityShape = "identity must be {\"provider\": \"…\", \"subject\": \"…\", \"issuer\"?: \"…\", \"claims\"?: {\"name\": \"value\"}}";

    public static async Task<IResult> RunAsync(HttpContext context, PolicyHolder holder, SponsoredTransactionGate gate)
    {
        var body = await AdminRequestBody.ReadAsync(context.Request, AdminJsonContext.Default.DryRunRequest);
        if (body.Value is not { } request)
        {
            return body.Reply;
        }

        var policy = holder.Current;
        if (request.Policy is { ValueKind: not JsonValueKind.Null } draft && !PolicyParser.TryParse(draft, out policy, out var errors))
        {
            return AdminEndpoints.Invalid(new AdminError("the draft policy is invalid", errors));
        }

        if (ToIdentity(request.Identity) is not { } identity)
        {
            return AdminEndpoints.Invalid(new AdminError(request.Identity is null ? "identity is required: {\"provider\", \"subject\", \"issuer\"?, \"claims\"?}" : IdentityShape));
        }

        SponsoredCall? call = null;
        string? callError = null;
        if (request.Request is not { } callElement || !SponsoredCall.TryParse(callElement, out call, out callError))
        {
            return AdminEndpoints.Invalid(new AdminError("request: " + (callError ?? "is required: {to, data, value?, gas?}")));
        }

        var decision = await gate.AdmitAsync(policy!, identity, call!, consume: false, context.RequestAborted);
        var result = new DryRunResult(
            decision.Verdict.ToString().ToLowerInvariant(),
            decision.IsAdmitted ? null : decision.ErrorCode,
            decision.Reason,
            decision.Message,
            decision.RetryAfterMs,
            decision.PolicyRule,
            decision.Gas,
            policy!.Version);
        return TypedResults.Json(result, AdminJsonContext.Default.DryRunResult);
    }

    private static AdmissionIdentity? ToIdentity(DryRunIdentity? identity)
    {
        if (identity is not { Provider: { } provider, Subject: { } subject })
        {
            return null;
        }

        var claims = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in identity.Claims ?? [])
        {
            claims[name] = value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();
        }

        return new AdmissionIdentity(provider, identity.Issuer ?? provider, subject, claims);
    }
}
