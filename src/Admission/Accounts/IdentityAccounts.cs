using System.Collections.Concurrent;
using System.Security.Cryptography;
using Admission.Identity;
using Admission.Sponsorship;
using Primitives;
using Primitives.Crypto;

namespace Admission.Accounts;

/// <summary>
/// Each identity's account: its address, and zero-fee EIP-1559 transactions signed with its key.
/// The key is derived on the stack on every use and wiped right after; only addresses (public) are
/// cached. <see cref="SponsoredTransactionEncoding"/> writes the transaction with the Primitives RLP writer and signs
/// it with the process's one native secp256k1 signer (<see cref="Secp256k1Signer"/>).
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

    // Entries added since the last clear, counted apart: ConcurrentDictionary.Count takes every lock of the table, which
    // serialized the sponsored path under load. Approximate (a clear races with adds), which a cache bound can be.
    private int _cached;

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

        if (Interlocked.Increment(ref _cached) > MaxCachedAddresses)
        {
            Volatile.Write(ref _cached, 1);
            _addresses.Clear();
        }

        _addresses[id] = address;
        return address;
    }

    /// <summary>
    /// Builds and signs the zero-fee transaction. <paramref name="nonce"/> comes from the caller, who hands out
    /// the account's nonces in the order its transactions reach the core.
    /// </summary>
    public SignedSponsoredTransaction Sign(AdmissionIdentity identity, SponsoredCall call, ulong gas, ulong nonce, ulong chainId)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(call);
        if (!Address.TryParse(call.To, out var to))
        {
            throw new ArgumentException("the call's recipient is not a 20-byte hex address", nameof(call));
        }

        Span<byte> key = stackalloc byte[32];
        byte[] raw;
        Hash32 hash;
        try
        {
            IdentityKeyDerivation.DeriveKey(master, identity.Issuer, identity.Subject, key);
            raw = SponsoredTransactionEncoding.Sign(key, chainId, nonce, gas, to, call.Value, call.Data, out hash);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }

        return new SignedSponsoredTransaction(raw, hash, AddressOf(identity), nonce, gas);
    }
}
