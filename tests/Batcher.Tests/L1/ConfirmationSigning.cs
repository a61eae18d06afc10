using Batcher.L1;
using Nethereum.Signer;
using Nethereum.Signer.EIP712;
using Nethereum.Hex.HexConvertors.Extensions;
using Primitives;
using TestInfrastructure.Ethereum;

namespace Batcher.Tests.L1;

/// <summary>
/// Signs a soft confirmation the way a wallet library would (eth_signTypedData_v4 over docs/rpc.md's
/// domain and type, as JSON), sharing no code with the sequencer or the contract. Used as the test-only
/// signer that holds the sequencer's key.
/// </summary>
public static class ConfirmationSigning
{
    public static SoftConfirmationStruct Confirmation(ulong sequence, Hash32 txHash, Hash32 accumulator, ulong timestamp, ulong blockNumber = 1, uint index = 0) => new()
    {
        TxHash = txHash.ToArray(),
        Sequence = sequence,
        BlockNumber = blockNumber,
        Index = index,
        Timestamp = timestamp,
        Accumulator = accumulator.ToArray(),
    };

    public static byte[] Sign(SoftConfirmationStruct confirmation, string privateKey, ulong chainId) =>
        new Eip712TypedDataSigner().SignTypedDataV4(TypedDataJson(confirmation, chainId), new EthECKey(privateKey)).HexToByteArray();

    /// <summary>The EIP-712 digest as Nethereum's encoder computes it.</summary>
    public static byte[] Digest(SoftConfirmationStruct confirmation, ulong chainId) =>
        Nethereum.Util.Sha3Keccack.Current.CalculateHash(new Eip712TypedDataSigner().EncodeTypedData(TypedDataJson(confirmation, chainId)));

    private static string TypedDataJson(SoftConfirmationStruct c, ulong chainId) =>
        SoftConfirmationVerifier.TypedDataJson(c.TxHash.ToHex(true), c.Sequence, c.BlockNumber, c.Index, c.Timestamp, c.Accumulator.ToHex(true), chainId);
}
