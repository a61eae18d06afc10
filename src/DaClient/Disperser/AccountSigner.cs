using System.Security.Cryptography;
using Nethereum.Signer;
using Primitives.Crypto;
using Primitives.Secrets;

namespace DaClient.Disperser;

/// <summary>
/// The payment account's secp256k1 key (Nethereum). Signs 32-byte hashes as
/// [R ‖ S ‖ V] with V ∈ {0, 1}, the form the disperser verifies. The key is never logged.
/// </summary>
public sealed class AccountSigner
{
    private readonly EthECKey _key;

    /// <param name="privateKey">The 32-byte secp256k1 private key; the caller may clear it afterwards.</param>
    public AccountSigner(ReadOnlySpan<byte> privateKey)
    {
        if (!Secp256k1Curve.IsPrivateKey(privateKey))
        {
            throw new ArgumentException("not a secp256k1 private key", nameof(privateKey));
        }

        _key = new EthECKey(privateKey.ToArray(), isPrivate: true);
        Address = _key.GetPublicAddress();
    }

    /// <summary>EIP-55 checksummed address, as it goes into <c>PaymentHeader.account_id</c>.</summary>
    public string Address { get; }

    /// <summary>Loads the key from <see cref="DisperserDaOptions.AccountKey"/> or <see cref="DisperserDaOptions.AccountKeyFile"/>.</summary>
    /// <exception cref="SecretSettingException">Neither is set, or the key is malformed (the message names the setting only).</exception>
    public static AccountSigner FromOptions(DisperserDaOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        const string section = DaOptions.Section + ":Disperser:";
        var key = SecretSource.Load(
            options.AccountKey, section + nameof(DisperserDaOptions.AccountKey),
            options.AccountKeyFile, section + nameof(DisperserDaOptions.AccountKeyFile),
            SecretShape.PrivateKey)
            ?? throw new SecretSettingException(section + nameof(DisperserDaOptions.AccountKeyFile), $"{DaOptions.Section}:Disperser needs AccountKey or AccountKeyFile for the payment account");
        try
        {
            return new AccountSigner(key);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    public byte[] Sign(ReadOnlySpan<byte> hash)
    {
        if (hash.Length != 32)
        {
            throw new ArgumentException("only 32-byte hashes are signed", nameof(hash));
        }

        var signature = _key.SignAndCalculateV(hash.ToArray());
        var bytes = new byte[65];
        signature.R.AsSpan().CopyTo(bytes.AsSpan(32 - signature.R.Length, signature.R.Length));
        signature.S.AsSpan().CopyTo(bytes.AsSpan(64 - signature.S.Length, signature.S.Length));
        bytes[64] = (byte)(signature.V[0] >= 27 ? signature.V[0] - 27 : signature.V[0]);
        return bytes;
    }

    /// <summary>The address that signed <paramref name="hash"/> with a 65-byte [R ‖ S ‖ V] signature, or null.</summary>
    public static string? RecoverAddress(ReadOnlySpan<byte> hash, ReadOnlySpan<byte> signature)
    {
        if (signature.Length != 65 || hash.Length != 32)
        {
            return null;
        }

        try
        {
            var v = signature[64] < 27 ? (byte)(signature[64] + 27) : signature[64];
            var ecdsa = EthECDSASignatureFactory.FromComponents(signature[..32].ToArray(), signature[32..64].ToArray(), v);
            return EthECKey.RecoverFromSignature(ecdsa, hash.ToArray()).GetPublicAddress();
        }
        catch (ArgumentException)
        {
            return null;
        }
    }
}
