using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Primitives.Crypto;

namespace Admission.Accounts;

/// <summary>
/// key = HKDF-SHA256(ikm = master secret, salt = a fixed label, info = len(issuer) ‖ issuer ‖ subject ‖ counter).
/// The length prefix keeps ("ab","c") and ("a","bc") apart. The counter is bumped in the (about 2^-128 likely)
/// case that the output is not a valid secp256k1 private key (zero or not below the group order).
/// </summary>
internal static class IdentityKeyDerivation
{
    private static readonly byte[] Salt = "rollup-sequencer/identity-account/v1"u8.ToArray();

    /// <summary>Writes the identity's 32-byte private key into <paramref name="key"/>. The caller must zero it after use.</summary>
    public static void DeriveKey(MasterSecret master, string issuer, string subject, Span<byte> key)
    {
        ArgumentNullException.ThrowIfNull(master);
        ArgumentNullException.ThrowIfNull(issuer);
        ArgumentNullException.ThrowIfNull(subject);
        if (key.Length != 32)
        {
            throw new ArgumentException("a secp256k1 private key is 32 bytes", nameof(key));
        }

        var issuerLength = Encoding.UTF8.GetByteCount(issuer);
        var info = new byte[4 + issuerLength + Encoding.UTF8.GetByteCount(subject) + 1];
        BinaryPrimitives.WriteInt32BigEndian(info, issuerLength);
        Encoding.UTF8.GetBytes(issuer, info.AsSpan(4));
        Encoding.UTF8.GetBytes(subject, info.AsSpan(4 + issuerLength));
        for (byte counter = 0; ; counter++)
        {
            info[^1] = counter;
            HKDF.DeriveKey(HashAlgorithmName.SHA256, master.Bytes, key, Salt, info);
            if (Secp256k1Curve.IsPrivateKey(key))
            {
                return;
            }
        }
    }
}
