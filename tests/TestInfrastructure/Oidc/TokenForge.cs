using System.Security.Claims;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace TestInfrastructure.Oidc;

/// <summary>Mints tokens an attacker (or a provider, with its key) could produce.</summary>
public static class TokenForge
{
    public static string Sign(SigningCredentials credentials, string issuer, string audience, string subject,
        DateTime? expires = null, DateTime? notBefore = null, IDictionary<string, object>? claims = null)
    {
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            IssuedAt = (notBefore ?? now).AddSeconds(-1),
            NotBefore = notBefore ?? now.AddSeconds(-1),
            Expires = expires ?? now.AddMinutes(10),
            Subject = new ClaimsIdentity([new Claim("sub", subject)]),
            Claims = claims,
            SigningCredentials = credentials,
        });
    }

    /// <summary>An unsigned token: header alg "none", empty signature.</summary>
    public static string Unsigned(string issuer, string audience, string subject)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var header = Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes("""{"alg":"none","typ":"JWT"}"""));
        var payload = Base64UrlEncoder.Encode(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["iss"] = issuer,
            ["aud"] = audience,
            ["sub"] = subject,
            ["iat"] = now,
            ["nbf"] = now - 1,
            ["exp"] = now + 600,
        }));
        return header + "." + payload + ".";
    }

    /// <summary>The same token with one payload claim changed and the original signature kept.</summary>
    public static string WithTamperedClaim(string token, string claim, string value)
    {
        var parts = token.Split('.');
        var payload = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(Base64UrlEncoder.Decode(parts[1]))!;
        var changed = payload.ToDictionary(pair => pair.Key, pair => (object)pair.Value);
        changed[claim] = value;
        parts[1] = Base64UrlEncoder.Encode(JsonSerializer.SerializeToUtf8Bytes(changed));
        return string.Join('.', parts);
    }

    public static Dictionary<string, JsonElement> Payload(string token) =>
        JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(Base64UrlEncoder.Decode(token.Split('.')[1]))!;
}
