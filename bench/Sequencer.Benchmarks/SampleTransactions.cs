using System.Numerics;
using Nethereum.Model;
using Nethereum.Signer;

namespace Sequencer.Benchmarks;

/// <summary>Realistic signed transactions, made with Nethereum (an independent encoder).</summary>
internal static class SampleTransactions
{
    public const ulong ChainId = 424242;

    public static readonly EthECKey Key = new("4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318");

    /// <summary>An ERC-20 transfer call as an EIP-1559 transaction (about 110 bytes).</summary>
    public static byte[] Erc20Transfer(ulong nonce)
    {
        var data = "0xa9059cbb000000000000000000000000" + "d8da6bf26964af9d7eed9e03e53415d37aa96045" + new BigInteger(1_000_000).ToString("x64");
        var tx = new Transaction1559(ChainId, nonce, 1_000_000_000, 30_000_000_000, 60_000, "0x6b175474e89094c44da98b954eedeac495271d0f", 0, data, []);
        return Convert.FromHexString(new Transaction1559Signer().SignTransaction(Key, tx));
    }
}
