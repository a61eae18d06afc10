using Nethereum.Signer.EIP712;

namespace Batcher.Verification;

/// <summary>Recovers the signer of a soft confirmation from its EIP-712 signature (DESIGN.md, "Soft confirmation").</summary>
public static class ConfirmationSignature
{
    public static string RecoverSigner(SoftConfirmation confirmation, ulong chainId)
    {
        var typedData = $$"""
        {
          "types": {
            "EIP712Domain": [
              { "name": "name", "type": "string" }, { "name": "version", "type": "string" }, { "name": "chainId", "type": "uint256" }
            ],
            "SoftConfirmation": [
              { "name": "txHash", "type": "bytes32" }, { "name": "sequence", "type": "uint64" }, { "name": "blockNumber", "type": "uint64" },
              { "name": "index", "type": "uint32" }, { "name": "timestamp", "type": "uint64" }, { "name": "accumulator", "type": "bytes32" }
            ]
          },
          "primaryType": "SoftConfirmation",
          "domain": { "name": "RollupSequencer", "version": "1", "chainId": {{chainId}} },
          "message": {
            "txHash": "{{confirmation.TxHash}}", "sequence": {{confirmation.Sequence}}, "blockNumber": {{confirmation.BlockNumber}},
            "index": {{confirmation.Index}}, "timestamp": {{confirmation.Timestamp}}, "accumulator": "{{confirmation.Accumulator}}"
          }
        }
        """;
        var signer = new Eip712TypedDataSigner();
        return signer.RecoverFromSignatureV4(signer.EncodeTypedData(typedData), confirmation.Signature!).ToLowerInvariant();
    }
}
