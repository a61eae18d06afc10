using System.Globalization;
using System.Text;
using Primitives;
using Primitives.Crypto;

namespace Admission.People.Siwe;

/// <summary>
/// Checks a signed Sign-In with Ethereum message against what this server expects: its own domain and origin, the
/// chain's id, a time window, and the EIP-191 signature (personal_sign) recovered to the message's address. The nonce is
/// checked by the caller against the store, last, so a message that fails here does not use it up.
/// </summary>
internal static class SiweVerifier
{
    /// <summary>How far a wallet's clock may run ahead of ours.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(1);

    /// <summary>Null when the message is good, else why not. <c>origin</c> is this server's as the browser saw it ("https://host[:port]"); <c>maxAge</c> bounds Issued At (the nonce lifetime).</summary>
    public static string? Check(SiweMessage message, string signatureHex, string origin, ulong chainId, DateTimeOffset now, TimeSpan maxAge)
    {
        var host = new Uri(origin).Authority;
        if (!string.Equals(message.Domain, host, StringComparison.OrdinalIgnoreCase))
        {
            return $"the message is for domain \"{message.Domain}\", not this server (\"{host}\")";
        }

        if (!Uri.TryCreate(message.Uri, UriKind.Absolute, out var uri) || !string.Equals(uri.GetLeftPart(UriPartial.Authority), origin, StringComparison.OrdinalIgnoreCase))
        {
            return $"the message's URI \"{message.Uri}\" is not on this server ({origin})";
        }

        if (message.ChainId != chainId)
        {
            return $"the message is for chain {message.ChainId}, this sequencer's chain is {chainId}";
        }

        if (message.IssuedAt > now + ClockSkew)
        {
            return "the message's Issued At is in the future";
        }

        if (message.IssuedAt < now - maxAge)
        {
            return $"the message was issued more than {maxAge.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s ago; ask for a new nonce";
        }

        if (message.ExpirationTime is { } expires && expires <= now)
        {
            return "the message has expired (Expiration Time)";
        }

        if (message.NotBefore is { } notBefore && notBefore > now + ClockSkew)
        {
            return "the message is not valid yet (Not Before)";
        }

        return RecoverSigner(message.Text, signatureHex, out var signer) && signer == message.Address
            ? null
            : "the signature is not the message's address's signature of this message";
    }

    /// <summary>EIP-191 version 0x45: keccak256("\x19Ethereum Signed Message:\n" ‖ length ‖ message), signature r ‖ s ‖ v (27/28 or 0/1).</summary>
    internal static bool RecoverSigner(string text, string signatureHex, out Address signer)
    {
        signer = default;
        if (signatureHex.Length != 132 || !signatureHex.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        byte[] signature;
        try
        {
            signature = Convert.FromHexString(signatureHex.AsSpan(2));
        }
        catch (FormatException)
        {
            return false;
        }

        var body = Encoding.UTF8.GetBytes(text);
        var prefix = Encoding.ASCII.GetBytes("\u0019Ethereum Signed Message:\n" + body.Length.ToString(CultureInfo.InvariantCulture));
        var digest = Keccak.Hash(prefix, body);
        var v = signature[64];
        var recoveryId = v >= 27 ? (byte)(v - 27) : v;
        return recoveryId <= 1 && Secp256k1Recovery.TryRecover(digest.Bytes, signature.AsSpan(0, 64), recoveryId, out signer);
    }
}
