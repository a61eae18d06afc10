using Microsoft.IdentityModel.Tokens;

namespace Admission.Identity;

/// <summary>A short, client-safe reason for a rejected Bearer token (no key material, no token echo).</summary>
internal static class TokenFailureReason
{
    public const string Malformed = "token is malformed";
    public const string UnknownIssuer = "token issuer is not accepted";
    public const string IssuerUnreachable = "the token issuer's signing keys cannot be fetched now";

    public static string From(Exception? failure) => failure switch
    {
        SecurityTokenExpiredException => "token expired",
        SecurityTokenNotYetValidException => "token not yet valid",
        SecurityTokenInvalidAudienceException => "token audience is not accepted",
        SecurityTokenInvalidIssuerException => UnknownIssuer,
        SecurityTokenSignatureKeyNotFoundException => "token signed by an unknown key",
        SecurityTokenInvalidAlgorithmException => "token algorithm is not allowed",
        SecurityTokenInvalidSignatureException => "token signature is invalid",
        SecurityTokenNoExpirationException => "token has no expiry",
        SecurityTokenMalformedException or ArgumentException => Malformed,
        SecurityTokenInvalidLifetimeException => "token lifetime is invalid",
        // The JwtBearer handler could not load the issuer's discovery document or JWKS.
        InvalidOperationException or HttpRequestException => IssuerUnreachable,
        null => "token rejected",
        _ => "token rejected",
    };
}
