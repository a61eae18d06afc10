using Admission.Options;
using System.Security.Cryptography;
using System.Text;
using Admission.Identity;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Admission.Operators;

/// <summary>
/// Who may use the operator API: a caller presenting the admin API key (header X-Admin-Key), or an
/// identity whose role claim holds the operator role. Keys are compared as SHA-256 digests with a
/// constant-time comparison, so neither the content nor the length of the key leaks through timing;
/// wrong keys are logged and limited per client (<see cref="AdminKeyGuard"/>).
/// </summary>
internal sealed class OperatorAuthorization
{
    public const string KeyHeader = "X-Admin-Key";

    private readonly byte[]? _keyDigest;
    private readonly AdmissionOptions _options;
    private readonly AdminKeyGuard _guard;
    private readonly IServiceProvider _services;

    public OperatorAuthorization(IOptions<AdmissionOptions> options, AdminKeyGuard guard, IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _guard = guard;
        _services = services;
        var key = SecretKeyRules.ReadAdminApiKey(_options);
        _keyDigest = string.IsNullOrEmpty(key) ? null : SHA256.HashData(Encoding.UTF8.GetBytes(key));
    }

    public async ValueTask<OperatorCheck> AuthorizeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Request.Headers.TryGetValue(KeyHeader, out var presented) && presented.Count > 0)
        {
            var client = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
            var wait = await _guard.RetryAfterMsAsync(client, context.RequestAborted).ConfigureAwait(false);
            if (wait > 0)
            {
                return OperatorCheck.TooManyRequests($"too many wrong admin keys from this client; retry in {wait} ms", wait);
            }

            var digest = SHA256.HashData(Encoding.UTF8.GetBytes(presented.ToString()));
            if (_keyDigest is not null && CryptographicOperations.FixedTimeEquals(digest, _keyDigest))
            {
                return OperatorCheck.Allowed("admin-key");
            }

            await _guard.RecordFailureAsync(client, context.RequestAborted).ConfigureAwait(false);
            return OperatorCheck.Unauthorized("the admin key is not valid");
        }

        var authenticator = _services.GetService<IIdentityAuthenticator>();
        if (authenticator is null)
        {
            return OperatorCheck.Unauthorized("operator credentials required: send the X-Admin-Key header");
        }

        var result = await authenticator.AuthenticateAsync(context).ConfigureAwait(false);
        if (result.Identity is not { } identity)
        {
            return result.Forbidden
                ? OperatorCheck.Forbidden(result.Failure!)
                : OperatorCheck.Unauthorized("operator credentials required (X-Admin-Key, or an operator's login): " + result.Failure);
        }

        return OperatorRoles.Contains(identity.Claims.GetValueOrDefault(_options.OperatorRoleClaim), _options.OperatorRole)
            ? OperatorCheck.Allowed(identity.Key)
            : OperatorCheck.Forbidden($"{identity.Key} is not an operator (claim \"{_options.OperatorRoleClaim}\" lacks \"{_options.OperatorRole}\")");
    }
}

/// <summary>The outcome of an operator check: the actor's name for the audit log, or the HTTP status and why.</summary>
internal readonly record struct OperatorCheck(int Status, string? Actor, string? Problem, long RetryAfterMs = 0)
{
    public bool IsAllowed => Actor is not null;

    public static OperatorCheck Allowed(string actor) => new(StatusCodes.Status200OK, actor, null);

    public static OperatorCheck Unauthorized(string problem) => new(StatusCodes.Status401Unauthorized, null, problem);

    public static OperatorCheck Forbidden(string problem) => new(StatusCodes.Status403Forbidden, null, problem);

    public static OperatorCheck TooManyRequests(string problem, long retryAfterMs) => new(StatusCodes.Status429TooManyRequests, null, problem, retryAfterMs);
}
