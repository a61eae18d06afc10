using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace TestInfrastructure.Oidc;

/// <summary>An RSA key the test provider signs with; the tests hold it too, to mint tokens the provider would.</summary>
public sealed class OidcSigningKey
{
    private OidcSigningKey(RSA rsa, string keyId)
    {
        Key = new RsaSecurityKey(rsa) { KeyId = keyId };
    }

    public RsaSecurityKey Key { get; }

    public string KeyId => Key.KeyId;

    public SigningCredentials Credentials => new(Key, SecurityAlgorithms.RsaSha256);

    public static OidcSigningKey Create(string keyId) => new(RSA.Create(2048), keyId);

    /// <summary>The private JWK (what oidc-provider's "jwks" option takes).</summary>
    public Dictionary<string, string> PrivateJwk()
    {
        var p = Key.Rsa.ExportParameters(includePrivateParameters: true);
        return new Dictionary<string, string>
        {
            ["kty"] = "RSA",
            ["kid"] = KeyId,
            ["use"] = "sig",
            ["alg"] = "RS256",
            ["n"] = Base64UrlEncoder.Encode(p.Modulus),
            ["e"] = Base64UrlEncoder.Encode(p.Exponent),
            ["d"] = Base64UrlEncoder.Encode(p.D),
            ["p"] = Base64UrlEncoder.Encode(p.P),
            ["q"] = Base64UrlEncoder.Encode(p.Q),
            ["dp"] = Base64UrlEncoder.Encode(p.DP),
            ["dq"] = Base64UrlEncoder.Encode(p.DQ),
            ["qi"] = Base64UrlEncoder.Encode(p.InverseQ),
        };
    }
}
