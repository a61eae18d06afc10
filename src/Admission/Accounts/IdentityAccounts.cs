using System.Collections.Concurrent;
using System.Numerics;
using System.Security.Cryptography;
using Admission.Identity;
using Admission.Sponsorship;
using Nethereum.Model;
using Nethereum.Util;
using Secp256k1Net;

namespace Admission.Accounts;

/// <summary>
/// Each identity's account: its address, and zero-fee EIP-1559 transactions signed with its key.
/// The key is derived on the stack on every use and wiped right after; only addresses (public) are
/// cached. Nethereum.Model encodes the transaction (RLP); the signature comes from native libsecp256k1
/// (Secp256k1.Net), about 25 times faster than a managed signer, since every sponsored transaction is signed here.
/// </summary>
public sealed class IdentityAccounts
{
    private readonly MasterSecret master;

    // Internal: the host gets it from AddAdmission; its parts are Admission's own.
    internal IdentityAccounts(MasterSecret master)
    {
        this.master = master;
    }

    private const int MaxCachedAddresses = 100_000;

    private readonly ConcurrentDictionary<(string Issuer, string Subject), string> _addresses = new();

    /// <summary>The identity's account address, lower-case "0x…".</summary>
    public string AddressOf(AdmissionIdentity identity)
    {
        ArgumentNullException.ThrowIfNull(identity);
        var id = (identity.Issuer, identity.Subject);
        if (_addresses.TryGetValue(id, out var address))
        {
            return address;
        }

        Span<byte> key = stackalloc byte[32];
        try
        {
            IdentityKeyDerivation.DeriveKey(master, identity.Issuer, identity.Subject, key);
            address = AddressOf(key);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }

        if (_addresses.Count >= MaxCachedAddresses)
        {
            _addresses.Clear();
        }

        _addresses[id] = address;
        return address;
    }

    /// <summary>Builds and signs the zero-fee transaction. <paramref name="nonce"/> comes from the caller's nonce book.</summary>
    public SignedSponsoredTransaction Sign(AdmissionIdentity identity, SponsoredCall call, ulong gas, ulong nonce, ulong chainId)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(call);
        var data = Convert.ToHexStringLower(call.Data);
        var unsigned = new Transaction1559(
            new BigInteger(chainId), new BigInteger(nonce), BigInteger.Zero, BigInteger.Zero, new BigInteger(gas), call.To, (BigInteger)call.Value, data, []);
        var hash = Sha3Keccack.Current.CalculateHash(unsigned.GetRLPEncodedRaw());

        var secp = Secp256k1PerThread.Current;
        Span<byte> key = stackalloc byte[32];
        Span<byte> native = stackalloc byte[65];
        Span<byte> compact = stackalloc byte[64];
        int recoveryId;
        try
        {
            IdentityKeyDerivation.DeriveKey(master, identity.Issuer, identity.Subject, key);
            if (!secp.EcdsaSignRecoverable(native, hash, key) || !secp.EcdsaRecoverableSignatureSerializeCompact(compact, out recoveryId, native))
            {
                throw new CryptographicException("signing with an identity key failed");
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }

        if (recoveryId > 1)
        {
            // Needs r >= n - (p - n): probability ~2^-128; an EIP-1559 y-parity cannot express it.
            throw new CryptographicException("secp256k1 produced a recovery id Ethereum cannot express");
        }

        // RLP integers are minimal: no leading zero bytes, and y-parity 0 is the empty string.
        var signature = new Signature(TrimLeadingZeros(compact[..32]), TrimLeadingZeros(compact[32..]), recoveryId == 0 ? [] : [1]);
        var signed = new Transaction1559(
            new BigInteger(chainId), new BigInteger(nonce), BigInteger.Zero, BigInteger.Zero, new BigInteger(gas), call.To, (BigInteger)call.Value, data, [], signature);
        return new SignedSponsoredTransaction(signed.GetRLPEncoded(), AddressOf(identity), nonce, gas);
    }

    private static string AddressOf(ReadOnlySpan<byte> key)
    {
        var secp = Secp256k1PerThread.Current;
        Span<byte> publicKey = stackalloc byte[64];
        Span<byte> serialized = stackalloc byte[65];
        nuint length = 65;
        if (!secp.EcPubkeyCreate(publicKey, key) || !secp.EcPubkeySerialize(serialized, ref length, publicKey, Secp256k1EcFlags.Uncompressed))
        {
            throw new CryptographicException("an identity key has no public key");
        }

        var hash = Sha3Keccack.Current.CalculateHash(serialized[1..].ToArray());
        return "0x" + Convert.ToHexStringLower(hash.AsSpan(12));
    }

    private static byte[] TrimLeadingZeros(ReadOnlySpan<byte> value)
    {
        var start = value.IndexOfAnyExcept((byte)0);
        return start < 0 ? [] : value[start..].ToArray();
    }
}
