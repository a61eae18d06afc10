using Admission.Identity;
using Admission.Limits;
using Admission.Sponsorship;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Admission.Web;

/// <summary>
/// The wei budget part of <c>/auth/me</c>: what the caller has been charged today, the cap, what is left and on what
/// basis (gas used on execution receipts, or the gas limit without an execution node). Null when admission is not
/// wired in (identity only) or no price is set; when the store cannot be reached, the reason instead.
/// </summary>
internal static class MeSpend
{
    public static async Task<object?> ReadAsync(HttpContext context, AdmissionIdentity identity)
    {
        if (context.RequestServices.GetService<UsageReader>() is not { } usage)
        {
            return null;
        }

        try
        {
            return (await usage.ForIdentityAsync(identity, context.RequestAborted)).Spend;
        }
        catch (RateLimitStoreUnavailableException)
        {
            return new { error = "usage is unavailable: the rate limiter cannot be reached" };
        }
    }
}
