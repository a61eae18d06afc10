using System.Globalization;
using Batcher.L1;
using Nethereum.Signer;
using Nethereum.Signer.EIP712;
using Nethereum.Hex.HexConvertors.Extensions;
using Primitives;

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

    private static string TypedDataJson(SoftConfirmationStruct c, ulong chainId) => string.Create(CultureInfo.InvariantCulture, $$"""
        {
          "types": {
            "EIP712Domain": [
              { "name": "name", "type": "string" },
              { "name": "version", "type": "string" },
              { "name": "chainId", "type": "uint256" }
            ],
            "SoftConfirmation": [
              { "name": "txHash", "type": "bytes32" },
              { "name": "sequence", "type": "uint64" },
              { "name": "blockNumber", "type": "uint64" },
              { "name": "index", "type": "uint32" },
              { "name": "timestamp", "type": "uint64" },
              { "name": "accumulator", "type": "bytes32" }
            ]
          },
          "primaryType": "SoftConfirmation",
          "domain": { "name": "RollupSequencer", "version": "1", "chainId": {{chainId}} },
          "message": {
            "txHash": "{{c.TxHash.ToHex(true)}}",
            "sequence": {{c.Sequence}},
            "blockNumber": {{c.BlockNumber}},
            "index": {{c.Index}},
            "timestamp": {{c.Timestamp}},
            "accumulator": "{{c.Accumulator.ToHex(true)}}"
          }
        }
        """);
}
