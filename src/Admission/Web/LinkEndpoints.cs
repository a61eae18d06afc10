using System.Globalization;
using System.Security.Cryptography;
using Admission.Identity;
using Admission.Limits;
using Admission.Operators;
using Admission.Options;
using Admission.People;
using Admission.People.Siwe;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Admission.Web;

/// <summary>
/// A person's own links (docs/admission.md, "One person, many logins and wallets"): see them, link a wallet with Sign-In
/// with Ethereum, link another login, unlink. Every call needs the caller's identity (Bearer token or session; with the
/// session, writes only from this host's pages as JSON). A store that cannot be reached is a 503, never a 500.
/// </summary>
internal static class LinkEndpoints
{
    public static void Map(WebApplication app)
    {
        app.MapGet("/auth/person", GetPersonAsync);
        app.MapPost("/auth/siwe/nonce", NonceAsync);
        app.MapPost("/auth/link/wallet", LinkWalletAsync);
        app.MapPost("/auth/link/login", StartLoginLinkAsync);
        app.MapPost("/auth/unlink", UnlinkAsync);
    }

    private static async Task<IResult> GetPersonAsync(HttpContext context, IIdentityAuthenticator authenticator, PersonLinking people)
    {
        if (await CallerAsync(context, authenticator) is not { } caller)
        {
            return Refused(context);
        }

        return await ReplyAsync(context, people, caller.Key);
    }

    private static async Task<IResult> NonceAsync(HttpContext context, IIdentityAuthenticator authenticator, IPersonStore store, IOptions<AdmissionOptions> options, TimeProvider time)
    {
        if (await CallerAsync(context, authenticator) is not { } caller)
        {
            return Refused(context);
        }

        // Optional body {"address": "0x…"}: the reply then carries the whole message to sign.
        string? address = null;
        if (context.Request.ContentLength > 0)
        {
            var body = await AdminRequestBody.ReadAsync(context.Request, PeopleJsonContext.Default.NonceRequest);
            if (body.Error is not null)
            {
                return body.Reply;
            }

            address = body.Value!.Address;
        }

        var nonce = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var now = time.GetUtcNow();
        var lifetime = TimeSpan.FromSeconds(options.Value.SiweNonceSeconds);
        try
        {
            await store.AddNonceAsync(nonce, caller.Key, now + lifetime, context.RequestAborted);
        }
        catch (RateLimitStoreUnavailableException)
        {
            return Unavailable();
        }

        var origin = Origin(context.Request);
        var domain = context.Request.Host.Value!;
        var issued = now.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        var expires = (now + lifetime).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        string? message = null;
        if (address is not null)
        {
            if (!Primitives.Address.TryParse(address, out var wallet))
            {
                return Problem("address must be a 20-byte hex address");
            }

            message = $"{domain} wants you to sign in with your Ethereum account:\n{Checksummed(wallet)}\n\nLink this wallet to {caller.Key} on {domain}.\n\n" +
                $"URI: {origin}/auth/link/wallet\nVersion: 1\nChain ID: {options.Value.ChainId}\nNonce: {nonce}\nIssued At: {issued}\nExpiration Time: {expires}";
        }

        return TypedResults.Json(new SiweNonceReply(nonce, domain, origin + "/auth/link/wallet", options.Value.ChainId, issued, expires, message), PeopleJsonContext.Default.SiweNonceReply);
    }

    private static async Task<IResult> LinkWalletAsync(HttpContext context, IIdentityAuthenticator authenticator, IPersonStore store, PersonLinking people, IOptions<AdmissionOptions> options, TimeProvider time)
    {
        if (await CallerAsync(context, authenticator) is not { } caller)
        {
            return Refused(context);
        }

        if (caller.Provider == PersonKeys.WalletProvider)
        {
            return Problem("a wallet cannot link another wallet; link it from a login");
        }

        var body = await AdminRequestBody.ReadAsync(context.Request, PeopleJsonContext.Default.LinkWalletRequest);
        if (body.Error is not null)
        {
            return body.Reply;
        }

        if (body.Value!.Message is not { } text || body.Value.Signature is not { } signature)
        {
            return Problem("message and signature are required");
        }

        if (!SiweMessage.TryParse(text, out var message, out var error))
        {
            return Problem(error!);
        }

        var maxAge = TimeSpan.FromSeconds(options.Value.SiweNonceSeconds);
        if (SiweVerifier.Check(message!, signature, Origin(context.Request), options.Value.ChainId, time.GetUtcNow(), maxAge) is { } refusal)
        {
            return Problem(refusal);
        }

        try
        {
            // Last, so a message refused above does not use up its nonce; a nonce is good once, for the identity it was issued to.
            if (await store.TakeNonceAsync(message!.Nonce, context.RequestAborted) != caller.Key)
            {
                return Problem("the nonce was not issued to you by this server, was used already, or has expired; ask for a new one at POST /auth/siwe/nonce");
            }

            var wallet = PersonKeys.Wallet(message.Address);
            var outcome = await people.LinkAsync(caller.Key, wallet, "Sign-In with Ethereum signature of " + wallet, context.RequestAborted);
            return outcome.Status switch
            {
                LinkStatus.Linked or LinkStatus.AlreadyLinked => await ReplyAsync(context, people, caller.Key),
                LinkStatus.OtherPerson => Conflict($"{wallet} belongs to another person; unlink it there first"),
                _ => Conflict($"a person may have at most {PersonKeys.MaxMembers} logins and wallets"),
            };
        }
        catch (RateLimitStoreUnavailableException)
        {
            return Unavailable();
        }
    }

    private static async Task<IResult> StartLoginLinkAsync(HttpContext context, IIdentityAuthenticator authenticator, IdentityProviderDirectory providers)
    {
        if (await CallerAsync(context, authenticator) is not { } caller)
        {
            return Refused(context);
        }

        var body = await AdminRequestBody.ReadAsync(context.Request, PeopleJsonContext.Default.LoginLinkRequest);
        if (body.Error is not null)
        {
            return body.Reply;
        }

        if (body.Value!.Provider is not { } provider || !providers.CanLogIn(provider))
        {
            return Problem("provider must name a login provider of this host (GET /auth/providers)");
        }

        var session = await context.AuthenticateAsync(IdentitySchemes.Session);
        var sessionId = context.Request.Headers.Authorization.Count == 0 ? session.Principal?.FindFirst(IdentityClaimTypes.SessionId)?.Value : null;
        LoginLinkIntent.Issue(context, caller, sessionId);
        var returnUrl = LoginEndpoints.LocalOrDefault(body.Value.ReturnUrl);
        var loginUrl = "/auth/login/" + Uri.EscapeDataString(provider) + "?returnUrl=" + Uri.EscapeDataString(returnUrl);
        return TypedResults.Json(new LoginLinkReply(loginUrl), PeopleJsonContext.Default.LoginLinkReply);
    }

    private static async Task<IResult> UnlinkAsync(HttpContext context, IIdentityAuthenticator authenticator, PersonLinking people)
    {
        if (await CallerAsync(context, authenticator) is not { } caller)
        {
            return Refused(context);
        }

        var body = await AdminRequestBody.ReadAsync(context.Request, PeopleJsonContext.Default.UnlinkRequest);
        if (body.Error is not null)
        {
            return body.Reply;
        }

        if (body.Value!.Identity is not { Length: > 0 } leaving)
        {
            return Problem("identity (\"provider:subject\" or \"wallet:0x…\") is required");
        }

        try
        {
            var outcome = await people.UnlinkAsync(caller.Key, caller.Key, leaving, context.RequestAborted);
            return outcome.Person is null
                ? TypedResults.Json(new AdminError($"{leaving} is not linked to {caller.Key}"), AdminJsonContext.Default.AdminError, statusCode: StatusCodes.Status404NotFound)
                : await ReplyAsync(context, people, caller.Key);
        }
        catch (RateLimitStoreUnavailableException)
        {
            return Unavailable();
        }
    }

    private static async Task<IResult> ReplyAsync(HttpContext context, PersonLinking people, string identityKey)
    {
        try
        {
            var view = await people.ViewAsync(identityKey, context.RequestAborted);
            return TypedResults.Json(view ?? new PersonView(identityKey, [identityKey]), PeopleJsonContext.Default.PersonView);
        }
        catch (RateLimitStoreUnavailableException)
        {
            return Unavailable();
        }
    }

    private static async Task<AdmissionIdentity?> CallerAsync(HttpContext context, IIdentityAuthenticator authenticator)
    {
        var result = await authenticator.AuthenticateAsync(context);
        if (result.Identity is null)
        {
            context.Items[RefusalKey] = result;
        }

        return result.Identity;
    }

    private const string RefusalKey = "admission.people.refusal";

    private static IResult Refused(HttpContext context)
    {
        var result = (IdentityResult)context.Items[RefusalKey]!;
        return TypedResults.Json(new AdminError(result.Failure!), AdminJsonContext.Default.AdminError,
            statusCode: result.Forbidden ? StatusCodes.Status403Forbidden : StatusCodes.Status401Unauthorized);
    }

    private static IResult Problem(string message) =>
        TypedResults.Json(new AdminError(message), AdminJsonContext.Default.AdminError, statusCode: StatusCodes.Status400BadRequest);

    private static IResult Conflict(string message) =>
        TypedResults.Json(new AdminError(message), AdminJsonContext.Default.AdminError, statusCode: StatusCodes.Status409Conflict);

    private static IResult Unavailable() =>
        TypedResults.Json(new AdminError("the person store cannot be reached; try again later"), AdminJsonContext.Default.AdminError, statusCode: StatusCodes.Status503ServiceUnavailable);

    private static string Origin(HttpRequest request) => request.Scheme + "://" + request.Host.Value;

    private static string Checksummed(Primitives.Address address)
    {
        var hex = address.ToString()[2..];
        var digest = Primitives.Keccak.Hash(System.Text.Encoding.ASCII.GetBytes(hex));
        var hash = digest.Bytes;
        var chars = hex.ToCharArray();
        for (var k = 0; k < chars.Length; k++)
        {
            if (char.IsAsciiLetter(chars[k]) && ((hash[k / 2] >> (k % 2 == 0 ? 4 : 0)) & 0xf) >= 8)
            {
                chars[k] = char.ToUpperInvariant(chars[k]);
            }
        }

        return "0x" + new string(chars);
    }
}
