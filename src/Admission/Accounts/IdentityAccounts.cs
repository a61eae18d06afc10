using System.Collections.Concurrent;
using System.Numerics;
using System.Security.Cryptography;
using Admission.Identity;
using Admission.Sponsorship;
using Nethereum.Model;
using Nethereum.Signer;

namespace Admission.Accounts;

/// <summary>
/// Each identity's account: its address, and zero-fee EIP-1559 transactions signed with its key.
/// The key is derived on every use and wiped right after; only addresses (public) are cached.
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

        address = WithKey(identity, static key => key.GetPublicAddress().ToLowerInvariant());
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
        var tx = new Transaction1559(
            new BigInteger(chainId),
            new BigInteger(nonce),
            BigInteger.Zero,
            BigInteger.Zero,
            new BigInteger(gas),
            call.To,
            (BigInteger)call.Value,
            Convert.ToHexStringLower(call.Data),
            new List<AccessListItem>());
        var raw = WithKey(identity, key => new Transaction1559Signer().SignTransaction(key, tx));
        return new SignedSponsoredTransaction(Convert.FromHexString(raw), AddressOf(identity), nonce, gas);
    }

    private T WithKey<T>(AdmissionIdentity identity, Func<EthECKey, T> use)
    {
        var bytes = new byte[32];
        try
        {
            IdentityKeyDerivation.DeriveKey(master, identity.Issuer, identity.Subject, bytes);
            // EthECKey keeps its own copy of the scalar inside BouncyCastle objects, which cannot be wiped;
            // it becomes garbage as soon as this call returns.
            return use(new EthECKey(bytes, true));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }
}
