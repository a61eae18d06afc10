using System.Security.Cryptography;
using System.Text;
using Admission.Hosting;
using Admission.Identity;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Admission.Operators;

/// <summary>
/// Who may use the operator API: a caller presenting the admin API key (header X-Admin-Key), or an
/// identity whose role claim holds the operator role. Keys are compared as SHA-256 digests with a
/// constant-time comparison, so neither the content nor the length of the key leaks through timing.
/// </summary>
public sealed class OperatorAuthorization
{
    public const string KeyHeader = "X-Admin-Key";

    private readonly byte[]? _keyDigest;
    private readonly AdmissionOptions _options;
    private readonly IServiceProvider _services;

    public OperatorAuthorization(IOptions<AdmissionOptions> options, IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _services = services;
        var key = _options.AdminApiKey;
        if (string.IsNullOrEmpty(key) && !string.IsNullOrWhiteSpace(_options.AdminApiKeyFile))
        {
            key = File.ReadAllText(_options.AdminApiKeyFile).Trim();
        }

        _keyDigest = string.IsNullOrEmpty(key) ? null : SHA256.HashData(Encoding.UTF8.GetBytes(key));
    }

    public async ValueTask<OperatorCheck> AuthorizeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Request.Headers.TryGetValue(KeyHeader, out var presented) && presented.Count > 0)
        {
            var digest = SHA256.HashData(Encoding.UTF8.GetBytes(presented.ToString()));
            return _keyDigest is not null && CryptographicOperations.FixedTimeEquals(digest, _keyDigest)
                ? OperatorCheck.Allowed("admin-key")
                : OperatorCheck.Unauthorized("the admin key is not valid");
        }

        var authenticator = _services.GetService<IIdentityAuthenticator>();
        if (authenticator is null)
        {
            return OperatorCheck.Unauthorized("operator credentials required: send the X-Admin-Key header");
        }

        var result = await authenticator.AuthenticateAsync(context).ConfigureAwait(false);
        if (result.Identity is not { } identity)
        {
            return OperatorCheck.Unauthorized("operator credentials required (X-Admin-Key, or an operator's login): " + result.Failure);
        }

        return HasRole(identity)
            ? OperatorCheck.Allowed(identity.Key)
            : OperatorCheck.Forbidden($"{identity.Key} is not an operator (claim \"{_options.OperatorRoleClaim}\" lacks \"{_options.OperatorRole}\")");
    }

    private bool HasRole(AdmissionIdentity identity)
    {
        if (!identity.Claims.TryGetValue(_options.OperatorRoleClaim, out var roles))
        {
            return false;
        }

        foreach (var role in roles.Split([' ', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (string.Equals(role, _options.OperatorRole, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>The outcome of an operator check: the actor's name for the audit log, or the HTTP status and why.</summary>
public readonly record struct OperatorCheck(int Status, string? Actor, string? Problem)
{
    public bool IsAllowed => Actor is not null;

    public static OperatorCheck Allowed(string actor) => new(StatusCodes.Status200OK, actor, null);

    public static OperatorCheck Unauthorized(string problem) => new(StatusCodes.Status401Unauthorized, null, problem);

    public static OperatorCheck Forbidden(string problem) => new(StatusCodes.Status403Forbidden, null, problem);
}
