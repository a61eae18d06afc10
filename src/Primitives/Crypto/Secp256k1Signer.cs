using System.Security.Cryptography;
using Secp256k1Net;

namespace Primitives.Crypto;

/// <summary>
/// Signs 32-byte digests with secp256k1 private keys the way Ethereum expects, with native
/// libsecp256k1 (Secp256k1.Net, about 25 times faster than a managed signer): r ‖ s with s always
/// in the lower half (libsecp256k1 normalises it) and a recovery id of 0 or 1. The one signer of
/// the process: the sequencer key (soft confirmations) and the identity accounts (sponsored
/// transactions) both sign here, so both fail with the same messages.
/// Thread-safe: a key is only read, and each thread signs with its own native context.
/// </summary>
public sealed class Secp256k1Signer : IDisposable
{
    /// <summary>r ‖ s ‖ v.</summary>
    public const int SignatureLength = 65;

    /// <summary>r ‖ s.</summary>
    public const int CompactLength = 64;

    public const int PrivateKeyLength = 32;

    internal const string InvalidKeyMessage = "a secp256k1 private key is 32 bytes, non-zero and below the curve order";
    internal const string SigningFailedMessage = "secp256k1 signing failed";
    internal const string RecoveryIdMessage = "secp256k1 produced a recovery id Ethereum cannot express";

    private readonly byte[] _privateKey;

    /// <exception cref="ArgumentException">The key is not 32 bytes or not a valid secp256k1 scalar.</exception>
    public Secp256k1Signer(ReadOnlySpan<byte> privateKey)
    {
        if (!Secp256k1Curve.IsPrivateKey(privateKey))
        {
            throw new ArgumentException(InvalidKeyMessage, nameof(privateKey));
        }

        _privateKey = privateKey.ToArray();
        Address = AddressOf(_privateKey);
    }

    /// <summary>The address of this key (what a verifier recovers from the signatures).</summary>
    public Address Address { get; }

    /// <summary>Writes r ‖ s ‖ v (v = 27/28) into <paramref name="signature"/>.</summary>
    public void Sign(ReadOnlySpan<byte> digest, Span<byte> signature)
    {
        if (signature.Length < SignatureLength)
        {
            throw new ArgumentException("the destination must hold 65 bytes", nameof(signature));
        }

        signature[64] = (byte)(27 + SignCompact(_privateKey, digest, signature[..CompactLength]));
    }

    /// <summary>r ‖ s ‖ v (v = 27/28) in a new array.</summary>
    public byte[] Sign(ReadOnlySpan<byte> digest)
    {
        var signature = new byte[SignatureLength];
        Sign(digest, signature);
        return signature;
    }

    public byte[] Sign(in Hash32 digest) => Sign(digest.Bytes);

    public void Dispose() => CryptographicOperations.ZeroMemory(_privateKey);

    /// <summary>Names the address only; the key never appears in logs.</summary>
    public override string ToString() => $"Secp256k1Signer({Address})";

    /// <summary>A new random private key (libsecp256k1 checks it is valid).</summary>
    public static byte[] GeneratePrivateKey() => Secp256k1.CreateSecretKey();

    /// <summary>
    /// Signs <paramref name="digest"/> with a key the caller holds (on the stack, say, and wipes after)
    /// and writes r ‖ s into <paramref name="compact"/>; returns the recovery id, 0 or 1 (Ethereum's y parity).
    /// </summary>
    /// <exception cref="ArgumentException">A length is wrong or the key is not a valid secp256k1 scalar.</exception>
    /// <exception cref="CryptographicException">libsecp256k1 failed, or chose a recovery id Ethereum cannot express.</exception>
    public static byte SignCompact(ReadOnlySpan<byte> privateKey, ReadOnlySpan<byte> digest, Span<byte> compact)
    {
        if (digest.Length != 32)
        {
            throw new ArgumentException("the digest must be 32 bytes", nameof(digest));
        }

        if (compact.Length < CompactLength)
        {
            throw new ArgumentException("the destination must hold 64 bytes", nameof(compact));
        }

        if (privateKey.Length != PrivateKeyLength)
        {
            throw new ArgumentException(InvalidKeyMessage, nameof(privateKey));
        }

        var secp = Secp256k1PerThread.Current;
        Span<byte> native = stackalloc byte[65];
        if (!secp.EcdsaSignRecoverable(native, digest, privateKey)
            || !secp.EcdsaRecoverableSignatureSerializeCompact(compact, out var recoveryId, native))
        {
            // Only an invalid key or a failing nonce function can get here.
            throw new CryptographicException(SigningFailedMessage);
        }

        if (recoveryId > 1)
        {
            // Needs r >= n - (p - n): probability ~2^-128; Ethereum's v and y parity cannot express it.
            throw new CryptographicException(RecoveryIdMessage);
        }

        return (byte)recoveryId;
    }

    /// <summary>The Ethereum address of a private key.</summary>
    /// <exception cref="ArgumentException">The key is not a valid secp256k1 scalar.</exception>
    public static Address AddressOf(ReadOnlySpan<byte> privateKey)
    {
        var secp = Secp256k1PerThread.Current;
        Span<byte> publicKey = stackalloc byte[64];
        Span<byte> serialized = stackalloc byte[65];
        nuint length = 65;
        if (privateKey.Length != PrivateKeyLength
            || !secp.EcPubkeyCreate(publicKey, privateKey)
            || !secp.EcPubkeySerialize(serialized, ref length, publicKey, Secp256k1EcFlags.Uncompressed))
        {
            throw new ArgumentException(InvalidKeyMessage, nameof(privateKey));
        }

        return Address.FromPublicKey(serialized[1..]);
    }
}
