using System.Text.Json;
using Primitives;
using Sequencer.Transactions;

namespace Sequencer.Rpc.Modules;

/// <summary>
/// eth_estimateGas when no execution node is configured (with one, the node answers). A plain value transfer (a
/// recipient and no data) costs exactly its intrinsic gas: 21000, plus its access list. Anything that runs code needs
/// the node's state, so it gets an error that says what to configure instead of a guess.
/// </summary>
internal sealed class TransferGasRpcModule : IRpcModule
{
    public const string NeedsExecutionNode =
        "eth_estimateGas needs an execution node for a contract call or deployment (a call with data or without \"to\"): " +
        "set Sequencer:Execution:Kind to anvil or engine (docs/execution.md), or give the gas limit yourself";

    public void Register(RpcMethodTable table) => table.Add("eth_estimateGas", Estimate);

    private static ValueTask<RpcResult> Estimate(RpcCall call) => ValueTask.FromResult(EstimateOf(call.Params));

    private static RpcResult EstimateOf(RpcParams parameters)
    {
        if (RpcParams.FirstError(parameters.ExpectAtMost(3), parameters.Get(0, "transaction call object", out var request), parameters.GetBlockTag(1, "block", optional: true, out _)) is { } error)
        {
            return error;
        }

        if (request.ValueKind != JsonValueKind.Object)
        {
            return RpcError.InvalidParams($"transaction call object must be an object, got {RpcParams.Describe(request)}");
        }

        if (!request.TryGetProperty("to", out var to) || to.ValueKind == JsonValueKind.Null)
        {
            return RpcError.InvalidInput(NeedsExecutionNode);
        }

        if (to.ValueKind != JsonValueKind.String || !Address.TryParse(to.GetString(), out _))
        {
            return RpcError.InvalidParams($"to must be a 20-byte hex address, got {RpcParams.Describe(to)}");
        }

        if (RpcParams.FirstError(Data(request, "input", out var input), Data(request, "data", out var data)) is { } dataError)
        {
            return dataError;
        }

        if (input > 0 || data > 0)
        {
            return RpcError.InvalidInput(NeedsExecutionNode);
        }

        if (AccessList(request, out var addresses, out var keys) is { } listError)
        {
            return listError;
        }

        var gas = IntrinsicGas.Of([], isContractCreation: false, addresses, keys);
        if (request.TryGetProperty("gas", out var cap) && cap.ValueKind == JsonValueKind.String &&
            Hex.TryParseQuantity(cap.GetString(), out var allowance) && allowance < gas)
        {
            return RpcError.InvalidInput($"gas required exceeds allowance ({allowance})");
        }

        return RpcResult.String(Hex.EncodeQuantity(gas));
    }

    /// <summary>The length in bytes of a data field ("input" or its older name "data"); 0 when absent.</summary>
    private static RpcError? Data(JsonElement request, string name, out int length)
    {
        length = 0;
        if (!request.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        var text = value.ValueKind == JsonValueKind.String ? value.GetString()! : null;
        if (text is null || !text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) || text.Length % 2 != 0 || Hex.TryDecode(text) is null)
        {
            return RpcError.InvalidParams($"{name} must be 0x-prefixed hex bytes, got {RpcParams.Describe(value)}");
        }

        length = (text.Length - 2) / 2;
        return null;
    }

    private static RpcError? AccessList(JsonElement request, out int addresses, out int keys)
    {
        addresses = 0;
        keys = 0;
        if (!request.TryGetProperty("accessList", out var list) || list.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (list.ValueKind != JsonValueKind.Array)
        {
            return RpcError.InvalidParams($"accessList must be an array, got {RpcParams.Describe(list)}");
        }

        foreach (var entry in list.EnumerateArray())
        {
            if (entry.ValueKind != JsonValueKind.Object || !entry.TryGetProperty("address", out var address) ||
                address.ValueKind != JsonValueKind.String || !Address.TryParse(address.GetString(), out _))
            {
                return RpcError.InvalidParams("accessList entries must be objects with an address and storageKeys");
            }

            addresses++;
            if (entry.TryGetProperty("storageKeys", out var storageKeys) && storageKeys.ValueKind == JsonValueKind.Array)
            {
                keys += storageKeys.GetArrayLength();
            }
        }

        return null;
    }
}
