using System.Collections.Concurrent;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace Admission.Identity.Dev;

/// <summary>
/// A minimal OpenID Connect provider inside the host for development: authorization code + PKCE,
/// ID tokens signed with an RSA key generated at start (so tokens do not outlive the process).
/// Written by hand because a dev-only issuer must start with the host and need no outside
/// service; it is never on unless configured or in Development.
/// </summary>
internal sealed class DevIdentityProvider : IDisposable
{
    private static readonly TimeSpan CodeLifetime = TimeSpan.FromMinutes(2);

    private readonly RSA _rsa = RSA.Create(2048);
    private readonly ConcurrentDictionary<string, DevAuthorizationCode> _codes = new(StringComparer.Ordinal);
    private readonly DevIdentityProviderOptions _options;
    private readonly TimeProvider _time;

    public DevIdentityProvider(DevIdentityProviderOptions options, TimeProvider time)
    {
        _options = options;
        _time = time;
        SigningKey = new RsaSecurityKey(_rsa) { KeyId = Convert.ToHexString(RandomNumberGenerator.GetBytes(8)).ToLowerInvariant() };
        ClientSecret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    }

    public string Issuer => _options.Issuer;

    public string ClientId => _options.ClientId;

    /// <summary>The secret of the host's own login client (lives only in memory).</summary>
    public string ClientSecret { get; }

    public RsaSecurityKey SigningKey { get; }

    /// <summary>The public half of the signing key, as published at the JWKS endpoint.</summary>
    public JsonWebKey PublicJwk
    {
        get
        {
            var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(_rsa.ExportParameters(false)) { KeyId = SigningKey.KeyId });
            jwk.Use = "sig";
            jwk.Alg = SecurityAlgorithms.RsaSha256;
            return jwk;
        }
    }

    /// <summary>Static OIDC configuration for the host's own handlers (no HTTP round trip to itself).</summary>
    public OpenIdConnectConfiguration Configuration(string authorizationEndpoint, string tokenEndpoint)
    {
        var configuration = new OpenIdConnectConfiguration
        {
            Issuer = Issuer,
            AuthorizationEndpoint = authorizationEndpoint,
            TokenEndpoint = tokenEndpoint,
        };
        configuration.SigningKeys.Add(SigningKey);
        configuration.IdTokenSigningAlgValuesSupported.Add(SecurityAlgorithms.RsaSha256);
        return configuration;
    }

    public string IssueCode(string clientId, string redirectUri, string? nonce, string? codeChallenge, DevUser user)
    {
        var code = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
        _codes[code] = new DevAuthorizationCode(clientId, redirectUri, nonce, codeChallenge, user, _time.GetUtcNow() + CodeLifetime);
        return code;
    }

    /// <summary>Redeems a code once; null and an OAuth error code if anything does not match.</summary>
    public (string? IdToken, string? Error) Redeem(string? code, string? clientId, string? clientSecret, string? redirectUri, string? codeVerifier)
    {
        if (string.IsNullOrEmpty(code) || !_codes.TryRemove(code, out var issued) || issued.ExpiresAt < _time.GetUtcNow())
        {
            return (null, "invalid_grant");
        }

        if (!string.Equals(clientId, issued.ClientId, StringComparison.Ordinal) || !SecretMatches(clientSecret)
            || !string.Equals(redirectUri, issued.RedirectUri, StringComparison.Ordinal))
        {
            return (null, "invalid_client");
        }

        if (issued.CodeChallenge is not null && !ChallengeMatches(issued.CodeChallenge, codeVerifier))
        {
            return (null, "invalid_grant");
        }

        return (CreateIdToken(issued.User, issued.Nonce), null);
    }

    public string CreateIdToken(DevUser user, string? nonce)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        var claims = new Dictionary<string, object>
        {
            ["sub"] = user.Subject,
            ["name"] = user.Name,
            ["verified"] = user.Verified,
            ["followers_count"] = user.FollowersCount,
            ["created_at"] = user.CreatedAt.ToUnixTimeSeconds(),
        };
        if (!string.IsNullOrEmpty(user.Role))
        {
            claims["role"] = user.Role;
        }

        if (nonce is not null)
        {
            claims["nonce"] = nonce;
        }

        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = ClientId,
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddMinutes(_options.TokenLifetimeMinutes),
            Claims = claims,
            Subject = new ClaimsIdentity(),
            SigningCredentials = new SigningCredentials(SigningKey, SecurityAlgorithms.RsaSha256),
        });
    }

    public void Dispose() => _rsa.Dispose();

    private bool SecretMatches(string? secret) =>
        secret is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(ClientSecret));

    private static bool ChallengeMatches(string challenge, string? verifier)
    {
        if (string.IsNullOrEmpty(verifier))
        {
            return false;
        }

        var computed = Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(computed), Encoding.ASCII.GetBytes(challenge));
    }
}
