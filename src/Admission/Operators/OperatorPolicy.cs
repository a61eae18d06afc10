using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;

namespace Admission.Operators;

/// <summary>
/// The ASP.NET Core authorization policy of the operator API: one requirement, met by
/// <see cref="OperatorAuthorizationHandler"/> with the rules of <see cref="OperatorAuthorization"/>.
/// </summary>
internal static class OperatorPolicy
{
    /// <summary>The policy name the /admin/api group requires.</summary>
    public const string Name = "Operator";

    internal static AuthorizationPolicy Build() => new AuthorizationPolicyBuilder().AddRequirements(new OperatorRequirement()).Build();
}

/// <summary>The caller must be an operator: the admin key, or an identity with the operator role.</summary>
internal sealed class OperatorRequirement : IAuthorizationRequirement;

/// <summary>
/// Meets <see cref="OperatorRequirement"/> for the request (the resource the authorization middleware passes).
/// The outcome goes into the request's features: the actor for the audit log (<see cref="OperatorActor"/>), or
/// the refusal that <see cref="OperatorRefusalWriter"/> answers with its status and message.
/// </summary>
internal sealed class OperatorAuthorizationHandler(OperatorAuthorization authorization) : AuthorizationHandler<OperatorRequirement, HttpContext>
{
    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, OperatorRequirement requirement, HttpContext resource)
    {
        var check = await authorization.AuthorizeAsync(resource).ConfigureAwait(false);
        if (check.IsAllowed)
        {
            resource.Features.Set(new OperatorActor(check.Actor!));
            context.Succeed(requirement);
            return;
        }

        resource.Features.Set(new OperatorRefusal(check));
        context.Fail(new AuthorizationFailureReason(this, check.Problem!));
    }
}

/// <summary>Who an authorized operator request acts as: "admin-key", or the operator's "provider:subject".</summary>
internal sealed record OperatorActor(string Name)
{
    /// <summary>The actor the operator policy authorized for this request.</summary>
    public static string Of(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Features.Get<OperatorActor>()?.Name
            ?? throw new InvalidOperationException("the request did not pass the operator policy");
    }
}

/// <summary>Why the operator policy refused a request (a class, so that it can be a request feature).</summary>
internal sealed record OperatorRefusal(OperatorCheck Check);
