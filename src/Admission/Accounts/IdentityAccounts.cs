using System.Collections.Concurrent;
using System.Numerics;
using System.Security.Cryptography;
using Admission.Identity;
using Admission.Sponsorship;
using Nethereum.Model;
using Primitives;
using Primitives.Crypto;

namespace Admission.Accounts;

/// <summary>
/// Each identity's account: its address, and zero-fee EIP-1559 transactions signed with its key.
/// The key is derived on the stack on every use and wiped right after; only addresses (public) are
/// cached. Nethereum.Model encodes the transaction (RLP); the signature comes from the process's one
/// native secp256k1 signer (<see cref="Secp256k1Signer"/>), since every sponsored transaction is signed here.
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

    private readonly ConcurrentDictionary<(string Issuer, string Subject), Address> _addresses = new();

    /// <summary>The identity's account address.</summary>
    public Address AddressOf(AdmissionIdentity identity)
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
            address = Secp256k1Signer.AddressOf(key);
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
        var hash = Keccak.Hash(unsigned.GetRLPEncodedRaw());

        Span<byte> key = stackalloc byte[32];
        Span<byte> compact = stackalloc byte[Secp256k1Signer.CompactLength];
        byte recoveryId;
        try
        {
            IdentityKeyDerivation.DeriveKey(master, identity.Issuer, identity.Subject, key);
            recoveryId = Secp256k1Signer.SignCompact(key, hash.Bytes, compact);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }

        // RLP integers are minimal: no leading zero bytes, and y-parity 0 is the empty string.
        var signature = new Signature(TrimLeadingZeros(compact[..32]), TrimLeadingZeros(compact[32..]), recoveryId == 0 ? [] : [1]);
        var signed = new Transaction1559(
            new BigInteger(chainId), new BigInteger(nonce), BigInteger.Zero, BigInteger.Zero, new BigInteger(gas), call.To, (BigInteger)call.Value, data, [], signature);
        return new SignedSponsoredTransaction(signed.GetRLPEncoded(), AddressOf(identity), nonce, gas);
    }

    private static byte[] TrimLeadingZeros(ReadOnlySpan<byte> value)
    {
        var start = value.IndexOfAnyExcept((byte)0);
        return start < 0 ? [] : value[start..].ToArray();
    }
}
