using System.Numerics;
using Nethereum.Model;
using Nethereum.Signer;

namespace TestInfrastructure.Ethereum;

/// <summary>A test account that signs transactions with Nethereum (an implementation independent of the sequencer's).</summary>
public sealed class TestWallet
{
    public const string DeadAddress = "0x000000000000000000000000000000000000dEaD";

    private readonly EthECKey _key;
    private long _nextNonce;

    public TestWallet(string privateKeyHex, ulong chainId)
    {
        _key = new EthECKey(privateKeyHex);
        ChainId = chainId;
        Address = _key.GetPublicAddress().ToLowerInvariant();
        PrivateKeyHex = privateKeyHex;
    }

    public ulong ChainId { get; }

    public string Address { get; }

    public string PrivateKeyHex { get; }

    /// <summary>The address in EIP-55 checksum form, as a Sign-In with Ethereum message carries it.</summary>
    public string ChecksumAddress => _key.GetPublicAddress();

    /// <summary>personal_sign (EIP-191): what a wallet does to a Sign-In with Ethereum message.</summary>
    public string SignMessage(string text) => new EthereumMessageSigner().EncodeUTF8AndSign(text, _key);

    /// <summary>A deterministic wallet per seed, so a failing test can be replayed.</summary>
    public static TestWallet FromSeed(int seed, ulong chainId)
    {
        var bytes = System.Security.Cryptography.SHA256.HashData(BitConverter.GetBytes(seed + 7919));
        return new TestWallet(Convert.ToHexStringLower(bytes), chainId);
    }

    /// <summary>Takes the next nonce this wallet has not used yet.</summary>
    public ulong TakeNonce() => (ulong)(Interlocked.Increment(ref _nextNonce) - 1);

    public void ResetNonce(ulong next) => Interlocked.Exchange(ref _nextNonce, (long)next);

    public string Sign1559(
        ulong nonce,
        string to = DeadAddress,
        BigInteger? value = null,
        ulong gas = 21_000,
        BigInteger? maxFeePerGas = null,
        BigInteger? maxPriorityFeePerGas = null,
        string data = "",
        ulong? chainId = null)
    {
        var tx = new Transaction1559(
            chainId ?? ChainId,
            nonce,
            maxPriorityFeePerGas ?? 1_000_000_000,
            maxFeePerGas ?? 2_000_000_000,
            gas,
            to,
            value ?? 1,
            data,
            new List<AccessListItem>());
        return "0x" + new Transaction1559Signer().SignTransaction(_key, tx);
    }

    public string SignLegacy(ulong nonce, string to = DeadAddress, BigInteger? value = null, ulong gas = 21_000, BigInteger? gasPrice = null, ulong? chainId = null)
    {
        var signed = new LegacyTransactionSigner().SignTransaction(
            _key.GetPrivateKeyAsBytes(), new BigInteger(chainId ?? ChainId), to, value ?? 1, nonce, gasPrice ?? 2_000_000_000, gas, "");
        return "0x" + signed;
    }
}
