using Admission.Options;
using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Admission.Identity.Sessions;

/// <summary>
/// A login session from start to end. A login gets a random session id and an absolute end (shorter
/// for operators), both sealed inside the cookie, and a record in the <see cref="ISessionStore"/>.
/// Every time the cookie is read it must name a provider enabled on this host and that provider's
/// issuer, be before its end, and still have its record; logout deletes the record, so a copied
/// cookie dies with it. A Data Protection key ring shared with another deployment or environment
/// therefore never lets its cookies in here.
/// </summary>
internal sealed partial class SessionLifecycle(
    ISessionStore store,
    IdentityProviderDirectory providers,
    IOptions<IdentityOptions> identity,
    IOptions<AdmissionOptions> admission,
    TimeProvider time,
    ILogger<SessionLifecycle> logger)
{
    /// <summary>HttpContext item holding why a session cookie was refused, for the caller's error message.</summary>
    public const string RefusalItem = "admission.session.refused";

    /// <summary>Gives a freshly logged-in principal its session; null, or why no session could be started.</summary>
    public async ValueTask<string?> BeginAsync(ClaimsPrincipal principal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(principal);
        if (principal.Identity is not ClaimsIdentity claims || IdentityPrincipal.ToIdentity(principal) is not { } who)
        {
            return "the provider did not say who you are";
        }

        var session = identity.Value.Session;
        var isOperator = OperatorRoles.Contains(who.Claims.GetValueOrDefault(admission.Value.OperatorRoleClaim), admission.Value.OperatorRole);
        var ends = time.GetUtcNow().AddMinutes(isOperator ? session.OperatorMaxLifetimeMinutes : session.MaxLifetimeMinutes);
        var id = Base64Url(RandomNumberGenerator.GetBytes(32));
        if (await store.AddAsync(id, who.Key, ends, cancellationToken).ConfigureAwait(false) != SessionStoreStatus.Ok)
        {
            LogStoreUnavailable(logger, "login");
            return "the session store cannot be reached; try again later";
        }

        foreach (var stale in claims.FindAll(c => c.Type is IdentityClaimTypes.SessionId or IdentityClaimTypes.SessionEnds).ToList())
        {
            claims.RemoveClaim(stale);
        }

        claims.AddClaim(new Claim(IdentityClaimTypes.SessionId, id));
        claims.AddClaim(new Claim(IdentityClaimTypes.SessionEnds, ends.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), ClaimValueTypes.Integer64));
        return null;
    }

    /// <summary>The cookie handler's check on every request that carries the session cookie.</summary>
    public async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var principal = context.Principal;
        var who = IdentityPrincipal.ToIdentity(principal);
        var id = principal?.FindFirst(IdentityClaimTypes.SessionId)?.Value;
        string? refusal = null;
        var endSession = true;
        if (who is null || string.IsNullOrEmpty(id) || !long.TryParse(principal!.FindFirst(IdentityClaimTypes.SessionEnds)?.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var ends))
        {
            refusal = "the session cookie is not one this host issues";
        }
        else if (!providers.Accepts(who.Provider, who.Issuer))
        {
            refusal = $"the session was made by provider \"{who.Provider}\" ({who.Issuer}), which this host does not accept";
        }
        else if (time.GetUtcNow().ToUnixTimeSeconds() >= ends)
        {
            refusal = "the session has reached its maximum lifetime; log in again";
        }
        else
        {
            switch (await store.CheckAsync(id, who.Key, context.HttpContext.RequestAborted).ConfigureAwait(false))
            {
                case SessionStoreStatus.Ok:
                    return;
                case SessionStoreStatus.Unavailable:
                    LogStoreUnavailable(logger, "session check");
                    refusal = "the session store cannot be reached; try again later";
                    endSession = false;
                    break;
                default:
                    refusal = "the session has ended (logged out); log in again";
                    break;
            }
        }

        LogRefused(logger, refusal);
        context.HttpContext.Items[RefusalItem] = refusal;
        context.RejectPrincipal();
        if (endSession && !context.HttpContext.Response.HasStarted)
        {
            await context.HttpContext.SignOutAsync(IdentitySchemes.Session).ConfigureAwait(false);
        }
    }

    /// <summary>Ends the caller's session (logout): its record goes, so no copy of the cookie works any more.</summary>
    public async ValueTask<SessionStoreStatus> EndAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var result = await context.AuthenticateAsync(IdentitySchemes.Session).ConfigureAwait(false);
        var id = result.Principal?.FindFirst(IdentityClaimTypes.SessionId)?.Value;
        var status = id is null ? SessionStoreStatus.Ok : await store.RemoveAsync(id, context.RequestAborted).ConfigureAwait(false);
        if (status == SessionStoreStatus.Unavailable)
        {
            LogStoreUnavailable(logger, "logout");
        }

        return status;
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    [LoggerMessage(EventId = 4110, Level = LogLevel.Information, Message = "Session cookie refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, string reason);

    [LoggerMessage(EventId = 4111, Level = LogLevel.Warning, Message = "Session store unreachable during {Step}; sessions are refused until it is back")]
    private static partial void LogStoreUnavailable(ILogger logger, string step);
}
