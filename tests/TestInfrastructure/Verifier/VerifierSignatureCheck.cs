using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace TestInfrastructure.Verifier;

/// <summary>
/// How an operator's endpoint checks a verifier request: the C# snippet of docs/admission.md ("Verifier hook"),
/// written from the documented scheme and not from the sequencer's signing code, so a test sees a mistake on either side.
/// </summary>
public static class VerifierSignatureCheck
{
    /// <summary>How far the request's timestamp may be from the endpoint's clock; older requests are refused as replays.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(5);

    public static bool IsValid(string secret, string? timestamp, string? signature, byte[] body, DateTimeOffset now)
    {
        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || Math.Abs(now.ToUnixTimeSeconds() - seconds) > MaxAge.TotalSeconds
            || signature is null || !signature.StartsWith("v1=", StringComparison.Ordinal))
        {
            return false;
        }

        var signed = Encoding.UTF8.GetBytes(timestamp + ".").Concat(body).ToArray();
        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed);
        byte[] given;
        try
        {
            given = Convert.FromHexString(signature.AsSpan(3));
        }
        catch (FormatException)
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(expected, given);
    }
}
