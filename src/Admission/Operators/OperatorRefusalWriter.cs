using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http;

namespace Admission.Operators;

/// <summary>
/// Answers a request the operator policy refused with the status and message of its
/// <see cref="OperatorCheck"/>: 401 with <c>WWW-Authenticate: Bearer</c>, 403, or 429 with <c>Retry-After</c>,
/// as a JSON <see cref="AdminError"/>. Every other authorization result goes to ASP.NET Core's own handler.
/// </summary>
internal sealed class OperatorRefusalWriter : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Succeeded || context.Features.Get<OperatorRefusal>()?.Check is not { IsAllowed: false } check)
        {
            return _default.HandleAsync(next, context, policy, authorizeResult);
        }

        if (check.Status == StatusCodes.Status401Unauthorized)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
        }
        else if (check.Status == StatusCodes.Status429TooManyRequests)
        {
            context.Response.Headers.RetryAfter = ((check.RetryAfterMs + 999) / 1000).ToString(CultureInfo.InvariantCulture);
        }

        context.Response.StatusCode = check.Status;
        return context.Response.WriteAsJsonAsync(new AdminError(check.Problem!), AdminJsonContext.Default.AdminError, contentType: null, context.RequestAborted);
    }
}
