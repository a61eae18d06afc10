using System.Globalization;
using System.Numerics;
using System.Text.Json;
using Nethereum.Signer.EIP712;
using Nethereum.Util;

namespace TestInfrastructure.Ethereum;

/// <summary>
/// Checks a soft confirmation the way an outside party would: builds the EIP-712 typed data as JSON
/// (the eth_signTypedData_v4 form), hashes it with Nethereum's encoder, and recovers the signer.
/// Shares no code with the sequencer.
/// </summary>
public static class SoftConfirmationVerifier
{
    public static string RecoverSigner(JsonElement confirmation, ulong chainId)
    {
        var typedData = $$"""
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
            "txHash": "{{confirmation.GetProperty("txHash").GetString()}}",
            "sequence": {{Quantity(confirmation, "sequence")}},
            "blockNumber": {{Quantity(confirmation, "blockNumber")}},
            "index": {{Quantity(confirmation, "index")}},
            "timestamp": {{Quantity(confirmation, "timestamp")}},
            "accumulator": "{{confirmation.GetProperty("accumulator").GetString()}}"
          }
        }
        """;
        var encoded = new Eip712TypedDataSigner().EncodeTypedData(typedData);
        return new Eip712TypedDataSigner().RecoverFromSignatureV4(encoded, confirmation.GetProperty("signature").GetString()!).ToLowerInvariant();
    }

    /// <summary>keccak256(previous ‖ txHash), the accumulator step of DESIGN.md.</summary>
    public static string NextAccumulator(string previous, string txHash)
    {
        var bytes = Convert.FromHexString(previous[2..]).Concat(Convert.FromHexString(txHash[2..])).ToArray();
        return "0x" + Convert.ToHexStringLower(Sha3Keccack.Current.CalculateHash(bytes));
    }

    public static ulong Quantity(JsonElement element, string property) =>
        ulong.Parse(element.GetProperty(property).GetString()![2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    public static BigInteger BigQuantity(string hex) => BigInteger.Parse("0" + hex[2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
}
