using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Admission.Verification;

/// <summary>
/// How a verifier request is signed, so the endpoint can tell it came from this sequencer and is fresh:
/// <c>X-Sequencer-Signature: v1=hex(HMAC-SHA256(secret, timestamp + "." + body))</c> with the Unix time in seconds
/// in <c>X-Sequencer-Timestamp</c> (the scheme Stripe and GitHub webhooks use, which endpoint authors know).
/// The timestamp is inside the MAC, so an old request cannot be replayed with a new time.
/// </summary>
internal static class VerifierSignature
{
    public const string TimestampHeader = "X-Sequencer-Timestamp";
    public const string SignatureHeader = "X-Sequencer-Signature";

    /// <summary>The signature header's value for <paramref name="body"/> sent at <paramref name="unixSeconds"/>.</summary>
    public static string Sign(ReadOnlySpan<byte> secret, long unixSeconds, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.ASCII.GetBytes(unixSeconds.ToString(CultureInfo.InvariantCulture) + ".");
        var signed = new byte[prefix.Length + body.Length];
        prefix.CopyTo(signed, 0);
        body.CopyTo(signed.AsSpan(prefix.Length));
        return "v" + VerifierRequest.Version.ToString(CultureInfo.InvariantCulture) + "=" + Convert.ToHexStringLower(HMACSHA256.HashData(secret, signed));
    }
}
