using Nethereum.Signer;

namespace DaClient.Disperser;

/// <summary>
/// The payment account's secp256k1 key (Nethereum). Signs 32-byte hashes as
/// [R ‖ S ‖ V] with V ∈ {0, 1}, the form the disperser verifies. The key is never logged.
/// </summary>
public sealed class AccountSigner
{
    private readonly EthECKey _key;

    public AccountSigner(string privateKeyHex)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(privateKeyHex);
        _key = new EthECKey(privateKeyHex.Trim());
        Address = _key.GetPublicAddress();
    }

    /// <summary>EIP-55 checksummed address, as it goes into <c>PaymentHeader.account_id</c>.</summary>
    public string Address { get; }

    /// <summary>Loads the key from <see cref="DisperserDaOptions.AccountKey"/> or <see cref="DisperserDaOptions.AccountKeyFile"/>.</summary>
    public static AccountSigner FromOptions(DisperserDaOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!string.IsNullOrWhiteSpace(options.AccountKey))
        {
            return new AccountSigner(options.AccountKey);
        }

        if (!string.IsNullOrWhiteSpace(options.AccountKeyFile))
        {
            return new AccountSigner(File.ReadAllText(options.AccountKeyFile));
        }

        throw new InvalidOperationException("Sequencer:Da:Disperser needs AccountKey or AccountKeyFile for the payment account");
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
