using System.Text.Json;
using Microsoft.Extensions.Options;
using Primitives;
using Sequencer.History;
using Sequencer.Options;
using Sequencer.Rpc.Fees;

namespace Sequencer.Rpc.Modules;

/// <summary>
/// The fee methods, answered by the sequencer with or without an execution node: its paid lane's minimum fee is the
/// base fee of every block, and ordering is first come, first served, so no tip is needed (docs/rpc.md, "Fees").
/// </summary>
internal sealed class FeeRpcModule(ChainStore store, IOptions<SequencerOptions> options) : IRpcModule
{
    private readonly string _gasPrice = Hex.EncodeQuantity(options.Value.Transactions.MinFeePerGasWei);
    private readonly FeeHistory _history = new(store, options.Value.Transactions.MinFeePerGasWei);

    public void Register(RpcMethodTable table)
    {
        table.Add("eth_gasPrice", call => Constant(call, _gasPrice));
        table.Add("eth_maxPriorityFeePerGas", call => Constant(call, "0x0"));
        table.Add("eth_feeHistory", FeeHistory);
    }

    private static ValueTask<RpcResult> Constant(RpcCall call, string value) =>
        ValueTask.FromResult(call.Params.ExpectAtMost(0) is { } error ? (RpcResult)error : RpcResult.String(value));

    private ValueTask<RpcResult> FeeHistory(RpcCall call)
    {
        if (RpcParams.FirstError(call.Params.ExpectAtMost(3), BlockCount(call.Params, out var count), call.Params.GetBlockTag(1, "newest block", optional: false, out var tag)) is { } error)
        {
            return ValueTask.FromResult<RpcResult>(error);
        }

        if (Percentiles(call.Params, out var percentiles) is { } percentileError)
        {
            return ValueTask.FromResult<RpcResult>(percentileError);
        }

        var head = store.LatestBlockNumber;
        var newest = tag.Kind == BlockTagKind.Number ? tag.Value : head;
        if (newest > head)
        {
            return ValueTask.FromResult<RpcResult>(RpcError.InvalidInput($"request beyond head block: requested {newest}, head {head}"));
        }

        return ValueTask.FromResult(RpcResult.Object(_history.Build(count, newest, percentiles), RpcJsonContext.Default.FeeHistoryDto));
    }

    /// <summary>A hex quantity or a decimal number, as geth accepts.</summary>
    private static RpcError? BlockCount(RpcParams parameters, out ulong count)
    {
        count = 0;
        if (parameters.Get(0, "block count", out var value) is { } error)
        {
            return error;
        }

        var valid = value.ValueKind switch
        {
            JsonValueKind.Number => value.TryGetUInt64(out count),
            JsonValueKind.String => Hex.TryParseQuantity(value.GetString(), out count) || ulong.TryParse(value.GetString(), out count),
            _ => false,
        };
        return valid ? null : RpcError.InvalidParams($"block count must be a number or hex quantity, got {RpcParams.Describe(value)}");
    }

    private static RpcError? Percentiles(RpcParams parameters, out double[]? percentiles)
    {
        percentiles = null;
        if (!parameters.Has(2))
        {
            return null;
        }

        var value = parameters.Raw[2];
        if (value.ValueKind != JsonValueKind.Array)
        {
            return RpcError.InvalidParams($"reward percentiles must be an array of numbers, got {RpcParams.Describe(value)}");
        }

        var length = value.GetArrayLength();
        if (length > Fees.FeeHistory.MaxPercentiles)
        {
            return RpcError.InvalidParams($"too many reward percentiles: {length} (limit {Fees.FeeHistory.MaxPercentiles})");
        }

        var result = new double[length];
        var i = 0;
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetDouble(out var p) || p < 0 || p > 100)
            {
                return RpcError.InvalidParams($"invalid reward percentile: {RpcParams.Describe(item)} (each must be a number from 0 to 100)");
            }

            if (i > 0 && p < result[i - 1])
            {
                return RpcError.InvalidParams($"invalid reward percentile: #{i}:{p} < #{i - 1}:{result[i - 1]} (they must be ascending)");
            }

            result[i++] = p;
        }

        percentiles = result;
        return null;
    }
}
