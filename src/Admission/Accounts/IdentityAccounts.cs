using System.Collections.Concurrent;
using System.Numerics;
using System.Security.Cryptography;
using Admission.Identity;
using Admission.Sponsorship;
using NBitcoin.Secp256k1;
using Nethereum.Model;
using Nethereum.Util;

namespace Admission.Accounts;

/// <summary>
/// Each identity's account: its address, and zero-fee EIP-1559 transactions signed with its key.
/// The key is derived on every use and wiped right after; only addresses (public) are cached.
/// Nethereum.Model encodes the transaction (RLP); the signature is made with NBitcoin.Secp256k1,
/// which signs in tens of microseconds where Nethereum's BouncyCastle signer takes milliseconds,
/// and whose key object can be cleared.
/// </summary>
public sealed class IdentityAccounts(MasterSecret master)
{
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

        using (var key = DeriveKey(identity))
        {
            address = AddressOf(key);
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
        Span<byte> compact = stackalloc byte[64];
        int recoveryId;
        using (var key = DeriveKey(identity))
        {
            if (!key.TrySignRecoverable(hash, out var recoverable))
            {
                throw new CryptographicException("signing with an identity key failed");
            }

            recoverable!.WriteToSpanCompact(compact, out recoveryId);
        }

        // RLP integers are minimal: no leading zero bytes, and y-parity 0 is the empty string.
        var signature = new Signature(TrimLeadingZeros(compact[..32]), TrimLeadingZeros(compact[32..]), recoveryId == 0 ? [] : [(byte)recoveryId]);
        var signed = new Transaction1559(
            new BigInteger(chainId), new BigInteger(nonce), BigInteger.Zero, BigInteger.Zero, new BigInteger(gas), call.To, (BigInteger)call.Value, data, [], signature);
        return new SignedSponsoredTransaction(signed.GetRLPEncoded(), AddressOf(identity), nonce, gas);
    }

    private ECPrivKey DeriveKey(AdmissionIdentity identity)
    {
        Span<byte> bytes = stackalloc byte[32];
        try
        {
            IdentityKeyDerivation.DeriveKey(master, identity.Issuer, identity.Subject, bytes);
            return ECPrivKey.Create(bytes);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }

    private static string AddressOf(ECPrivKey key)
    {
        Span<byte> publicKey = stackalloc byte[65];
        key.CreatePubKey().WriteToSpan(compressed: false, publicKey, out _);
        var hash = Sha3Keccack.Current.CalculateHash(publicKey[1..].ToArray());
        return "0x" + Convert.ToHexStringLower(hash.AsSpan(12));
    }

    private static byte[] TrimLeadingZeros(ReadOnlySpan<byte> value)
    {
        var start = value.IndexOfAnyExcept((byte)0);
        return start < 0 ? [] : value[start..].ToArray();
    }
}
