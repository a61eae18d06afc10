using Admission.Accounts;
using System.Security.Cryptography;
using Sequencer.Primitives;
using Secp256k1Net;

namespace Sequencer.Transactions;

/// <summary>
/// Signs 32-byte digests with one secp256k1 private key the way Ethereum expects:
/// 65 bytes r ‖ s ‖ v with v = 27 or 28, s always in the lower half (libsecp256k1 normalises it).
/// Thread-safe: the key is only read, and each thread signs with its own native context.
/// </summary>
public sealed class Secp256k1Signer : IDisposable
{
    public const int SignatureLength = 65;

    private readonly byte[] _privateKey;

    /// <exception cref="ArgumentException">The key is not 32 bytes or not a valid secp256k1 scalar.</exception>
    public Secp256k1Signer(ReadOnlySpan<byte> privateKey)
    {
        if (privateKey.Length != 32 || !Secp256k1PerThread.Current.EcSeckeyVerify(privateKey))
        {
            throw new ArgumentException("a secp256k1 private key is 32 bytes, non-zero and below the curve order", nameof(privateKey));
        }

        _privateKey = privateKey.ToArray();
        Address = DeriveAddress(_privateKey);
    }

    /// <summary>The address of this key (what a verifier recovers from the signatures).</summary>
    public Address Address { get; }

    /// <summary>Writes r ‖ s ‖ v (v = 27/28) into <paramref name="signature"/>.</summary>
    public void Sign(ReadOnlySpan<byte> digest, Span<byte> signature)
    {
        if (digest.Length != 32)
        {
            throw new ArgumentException("the digest must be 32 bytes", nameof(digest));
        }

        if (signature.Length < SignatureLength)
        {
            throw new ArgumentException("the destination must hold 65 bytes", nameof(signature));
        }

        var secp = Secp256k1PerThread.Current;
        Span<byte> native = stackalloc byte[65];
        if (!secp.EcdsaSignRecoverable(native, digest, _privateKey)
            || !secp.EcdsaRecoverableSignatureSerializeCompact(signature, out var recoveryId, native))
        {
            // Only an invalid key or a failing nonce function can get here; the key was checked.
            throw new CryptographicException("secp256k1 signing failed");
        }

        if (recoveryId > 1)
        {
            // Needs r >= n - (p - n): probability ~2^-128; Ethereum's v cannot express it.
            throw new CryptographicException("secp256k1 produced a recovery id Ethereum cannot express");
        }

        signature[64] = (byte)(27 + recoveryId);
    }

    public byte[] Sign(in Hash32 digest)
    {
        var signature = new byte[SignatureLength];
        Sign(digest.Bytes, signature);
        return signature;
    }

    public void Dispose() => CryptographicOperations.ZeroMemory(_privateKey);

    /// <summary>Names the address only; the key never appears in logs.</summary>
    public override string ToString() => $"Secp256k1Signer({Address})";

    private static Address DeriveAddress(ReadOnlySpan<byte> privateKey)
    {
        var secp = Secp256k1PerThread.Current;
        Span<byte> publicKey = stackalloc byte[64];
        Span<byte> serialized = stackalloc byte[65];
        nuint length = 65;
        if (!secp.EcPubkeyCreate(publicKey, privateKey)
            || !secp.EcPubkeySerialize(serialized, ref length, publicKey, Secp256k1EcFlags.Uncompressed))
        {
            throw new ArgumentException("the private key has no public key", nameof(privateKey));
        }

        return Address.FromPublicKey(serialized[1..]);
    }
}
