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
        var typedData = TypedDataJson(
            confirmation.GetProperty("txHash").GetString()!, Quantity(confirmation, "sequence"), Quantity(confirmation, "blockNumber"),
            Quantity(confirmation, "index"), Quantity(confirmation, "timestamp"), confirmation.GetProperty("accumulator").GetString()!, chainId);
        var encoded = new Eip712TypedDataSigner().EncodeTypedData(typedData);
        return new Eip712TypedDataSigner().RecoverFromSignatureV4(encoded, confirmation.GetProperty("signature").GetString()!).ToLowerInvariant();
    }

    /// <summary>A soft confirmation as EIP-712 typed data (the eth_signTypedData_v4 JSON) with docs/rpc.md's domain and type.</summary>
    public static string TypedDataJson(string txHash, ulong sequence, ulong blockNumber, ulong index, ulong timestamp, string accumulator, ulong chainId) =>
        string.Create(CultureInfo.InvariantCulture, $$"""
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
            "txHash": "{{txHash}}",
            "sequence": {{sequence}},
            "blockNumber": {{blockNumber}},
            "index": {{index}},
            "timestamp": {{timestamp}},
            "accumulator": "{{accumulator}}"
          }
        }
        """);

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
