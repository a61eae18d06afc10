using System.Text.Json;
using Primitives;
using Sequencer.Chain;
using Sequencer.History;

namespace Sequencer.Rpc.Modules;

/// <summary>
/// Reads of a block by position: its transaction count, and one transaction by index, selected by block number (or
/// tag) or by block hash. Published blocks only, as on any node; the open block answers for <c>pending</c>.
/// </summary>
internal sealed class BlockIndexRpcModule(ChainStore store, ChainViews views) : IRpcModule
{
    public void Register(RpcMethodTable table)
    {
        table.Add("eth_getBlockTransactionCountByNumber", call => Sync(CountByNumber(call.Params)));
        table.Add("eth_getBlockTransactionCountByHash", call => Sync(CountByHash(call.Params)));
        table.Add("eth_getTransactionByBlockNumberAndIndex", call => Sync(TransactionByNumber(call.Params)));
        table.Add("eth_getTransactionByBlockHashAndIndex", call => Sync(TransactionByHash(call.Params)));
    }

    private static ValueTask<RpcResult> Sync(RpcResult result) => ValueTask.FromResult(result);

    private RpcResult CountByNumber(RpcParams parameters)
    {
        if (RpcParams.FirstError(parameters.ExpectAtMost(1), parameters.GetBlockTag(0, "block", optional: false, out var tag)) is { } error)
        {
            return error;
        }

        var (block, published) = Resolve(tag);
        return block is null ? RpcResult.Null : RpcResult.String(Hex.EncodeQuantity((ulong)Count(block, published)));
    }

    private RpcResult CountByHash(RpcParams parameters)
    {
        if (RpcParams.FirstError(parameters.ExpectAtMost(1), parameters.GetHash(0, "block hash", out var hash)) is { } error)
        {
            return error;
        }

        var block = store.GetBlock(hash);
        return block is null ? RpcResult.Null : RpcResult.String(Hex.EncodeQuantity((ulong)block.TransactionCount));
    }

    private RpcResult TransactionByNumber(RpcParams parameters)
    {
        if (RpcParams.FirstError(parameters.ExpectAtMost(2), parameters.GetBlockTag(0, "block", optional: false, out var tag), Index(parameters, out var index)) is { } error)
        {
            return error;
        }

        var (block, published) = Resolve(tag);
        return At(block, published, index);
    }

    private RpcResult TransactionByHash(RpcParams parameters)
    {
        if (RpcParams.FirstError(parameters.ExpectAtMost(2), parameters.GetHash(0, "block hash", out var hash), Index(parameters, out var index)) is { } error)
        {
            return error;
        }

        return At(store.GetBlock(hash), published: true, index);
    }

    private (ChainBlock? Block, bool Published) Resolve(BlockTag tag) => tag.Kind switch
    {
        BlockTagKind.Pending when store.PendingBlock is { } pending => (pending, false),
        BlockTagKind.Number when tag.Value > store.LatestBlockNumber => (null, true),
        BlockTagKind.Number => (store.GetBlock(tag.Value), true),
        _ => (store.LatestBlock, true),
    };

    private int Count(ChainBlock block, bool published) => published ? block.TransactionCount : store.DurableTransactionCount(block);

    private RpcResult At(ChainBlock? block, bool published, ulong index)
    {
        if (block is null || index >= (ulong)Count(block, published))
        {
            return RpcResult.Null;
        }

        var tx = store.GetTransaction(block.FirstSequence + (long)index);
        return tx is null ? RpcResult.Null : RpcResult.Object(views.Transaction(tx, published ? block : null), RpcJsonContext.Default.TransactionDto);
    }

    private static RpcError? Index(RpcParams parameters, out ulong index)
    {
        index = 0;
        if (parameters.Get(1, "transaction index", out var value) is { } error)
        {
            return error;
        }

        return value.ValueKind == JsonValueKind.String && Hex.TryParseQuantity(value.GetString(), out index)
            ? null
            : RpcError.InvalidParams($"transaction index must be a hex quantity, got {RpcParams.Describe(value)}");
    }
}
