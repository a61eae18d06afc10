using System.Security.Cryptography;
using Admission.Identity;
using Admission.Identity.Sessions;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Admission.People;

/// <summary>
/// Linking a second login proves both logins in one browser: logged in as A, the person asks to link (<c>POST
/// /auth/link/login</c>) and gets this short-lived cookie naming A and A's session, sealed with Data Protection; then logs
/// in with B. When B's login completes (<see cref="CompleteAsync"/>), A's session must still be live, and A and B become
/// one person. The cookie is SameSite=Lax because the provider's redirect back is a cross-site navigation, which drops
/// the Strict session cookie; it is useless without A's live session and is deleted when used.
/// </summary>
internal sealed class LoginLinkIntent : ILoginCompletion
{
    public const string CookieName = "sequencer.link";
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);
    private const string Purpose = "Admission.People.LoginLinkIntent.v1";

    public static void Issue(HttpContext context, AdmissionIdentity caller, string? sessionId)
    {
        var protector = Protector(context);
        var sealedIntent = protector.Protect(caller.Key + "\n" + (sessionId ?? ""), Lifetime);
        context.Response.Cookies.Append(CookieName, sealedIntent, new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Lax,
            Secure = context.Request.IsHttps,
            Path = "/auth",
            MaxAge = Lifetime,
        });
    }

    /// <summary>
    /// Called when a login completes: with a live intent, links the new login to the one named in it. Null when there was no
    /// intent; else the message for the person (linked, or why not).
    /// </summary>
    public async ValueTask<(bool Succeeded, string Message)?> CompleteAsync(HttpContext context, AdmissionIdentity joining)
    {
        if (!context.Request.Cookies.TryGetValue(CookieName, out var cookie) || string.IsNullOrEmpty(cookie))
        {
            return null;
        }

        context.Response.Cookies.Delete(CookieName, new CookieOptions { Path = "/auth" });
        string intent;
        try
        {
            intent = Protector(context).Unprotect(cookie);
        }
        catch (CryptographicException)
        {
            return (false, "the link request has expired or is not valid; log in again and start linking anew");
        }

        var parts = intent.Split('\n', 2);
        var callerKey = parts[0];
        var services = context.RequestServices;
        if (parts[1].Length > 0
            && await services.GetRequiredService<ISessionStore>().CheckAsync(parts[1], callerKey, context.RequestAborted).ConfigureAwait(false) != SessionStoreStatus.Ok)
        {
            return (false, $"the session of {callerKey} has ended; log in with it again to link");
        }

        if (callerKey == joining.Key)
        {
            return (false, "that is the same login; log in with another one to link it");
        }

        try
        {
            var outcome = await services.GetRequiredService<PersonLinking>()
                .LinkAsync(callerKey, joining.Key, $"logged in as {joining.Key} while {callerKey}'s session was live", context.RequestAborted).ConfigureAwait(false);
            return outcome.Status switch
            {
                LinkStatus.Linked or LinkStatus.AlreadyLinked => (true, $"{joining.Key} and {callerKey} are one person"),
                LinkStatus.OtherPerson => (false, $"{joining.Key} belongs to another person; unlink it there first"),
                _ => (false, $"a person may have at most {PersonKeys.MaxMembers} logins and wallets"),
            };
        }
        catch (Limits.RateLimitStoreUnavailableException)
        {
            return (false, "the person store cannot be reached; try again later");
        }
    }

    private static ITimeLimitedDataProtector Protector(HttpContext context) =>
        context.RequestServices.GetRequiredService<IDataProtectionProvider>().CreateProtector(Purpose).ToTimeLimitedDataProtector();
}
