using Secp256k1Net;

namespace Primitives.Crypto;

/// <summary>
/// Recovers the signer's address from a secp256k1 signature with the native libsecp256k1
/// (Secp256k1.Net). Chosen by measurement: ~5x NBitcoin.Secp256k1 and ~30x Nethereum's
/// BouncyCastle path (docs/benchmarks.md, "Signature recovery").
/// </summary>
/// <remarks>
/// Safe from any number of threads: each thread uses its own native context
/// (<see cref="Secp256k1PerThread"/>). The span-based calls used here return false on bad input
/// instead of throwing and do not allocate; the library's convenience <c>RecoverPublicKey</c>
/// would allocate two arrays and throw on an unrecoverable signature.
/// </remarks>
public static class Secp256k1Recovery
{
    private const int NativeSignatureLength = 65;
    private const int NativePublicKeyLength = 64;
    private const int UncompressedPublicKeyLength = 65;

    public static bool TryRecover(in Hash32 digest, in Hash32 r, in Hash32 s, byte recoveryId, out Address signer)
    {
        Span<byte> compact = stackalloc byte[64];
        r.CopyTo(compact);
        s.CopyTo(compact[32..]);
        return TryRecover(digest.Bytes, compact, recoveryId, out signer);
    }

    /// <param name="digest">The 32-byte hash that was signed.</param>
    /// <param name="compactSignature">r ‖ s, 64 bytes.</param>
    /// <param name="recoveryId">0 or 1 (Ethereum's y parity).</param>
    /// <param name="signer">The signer's address when the result is true.</param>
    public static bool TryRecover(ReadOnlySpan<byte> digest, ReadOnlySpan<byte> compactSignature, byte recoveryId, out Address signer)
    {
        signer = default;
        if (digest.Length != 32 || compactSignature.Length != 64 || recoveryId > 3)
        {
            return false;
        }

        var secp = Secp256k1PerThread.Current;
        Span<byte> signature = stackalloc byte[NativeSignatureLength];
        Span<byte> publicKey = stackalloc byte[NativePublicKeyLength];
        Span<byte> serialized = stackalloc byte[UncompressedPublicKeyLength];
        nuint serializedLength = UncompressedPublicKeyLength;
        if (!secp.EcdsaRecoverableSignatureParseCompact(signature, compactSignature, recoveryId)
            || !secp.EcdsaRecover(publicKey, signature, digest)
            || !secp.EcPubkeySerialize(serialized, ref serializedLength, publicKey, Secp256k1EcFlags.Uncompressed))
        {
            return false;
        }

        // Drop the 0x04 prefix: an address is the last 20 bytes of keccak256(x ‖ y).
        signer = Address.FromPublicKey(serialized[1..]);
        return true;
    }
}
