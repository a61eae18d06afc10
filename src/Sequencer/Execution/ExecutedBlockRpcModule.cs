using System.Text.Json;
using Primitives;
using Sequencer.History;
using Sequencer.Rpc;

namespace Sequencer.Execution;

/// <summary>
/// With an execution node, the blocks clients see are the node's (issue 14, "one chain of blocks"): the block
/// methods, transaction lookups and <c>eth_blockNumber</c> answer from executed blocks, so a receipt's
/// <c>blockHash</c> is the hash <c>eth_getBlockByHash</c>, <c>eth_getBlockByNumber</c> and newHeads give. The open
/// block (<c>pending</c>) and transactions not yet executed still come from the sequencer (docs/execution.md).
/// </summary>
internal sealed class ExecutedBlockRpcModule(ExecutedBlocks blocks, ExecutionNodeClient node, ExecutionFollower follower, ChainStore store, ChainViews views, ExecutionMetrics metrics) : IRpcModule
{
    public void Register(RpcMethodTable table)
    {
        table.Replace("eth_blockNumber", _ => _ => ValueTask.FromResult(RpcResult.String(Hex.EncodeQuantity(blocks.Head))));
        table.Replace("eth_getBlockByNumber", sequencer => call => ByNumberAsync(call, sequencer, "eth_getBlockByNumber", isBlock: true));
        table.Replace("eth_getBlockByHash", _ => ByHashAsync);
        table.Replace("eth_getTransactionByHash", sequencer => call => TransactionAsync(call, sequencer));
        table.Replace("eth_getBlockTransactionCountByNumber", sequencer => call => ByNumberAsync(call, sequencer, "eth_getBlockTransactionCountByNumber", isBlock: false));
        table.Replace("eth_getTransactionByBlockNumberAndIndex", sequencer => call => ByNumberAsync(call, sequencer, "eth_getTransactionByBlockNumberAndIndex", isBlock: false));
        table.Replace("eth_getBlockTransactionCountByHash", _ => call => ProxyAsync("eth_getBlockTransactionCountByHash", call.Params.Raw, call.Aborted));
        table.Replace("eth_getTransactionByBlockHashAndIndex", _ => call => ProxyAsync("eth_getTransactionByBlockHashAndIndex", call.Params.Raw, call.Aborted));
        table.Add("eth_getBlockReceipts", BlockReceiptsAsync);
    }

    /// <summary>
    /// A method whose first parameter is a block tag: <c>pending</c> is the sequencer's open block; <c>latest</c>,
    /// <c>safe</c>, <c>finalized</c> the last executed block; a number past it has no block yet (null).
    /// </summary>
    private async ValueTask<RpcResult> ByNumberAsync(RpcCall call, RpcMethod sequencer, string method, bool isBlock)
    {
        if (call.Params.IsObject)
        {
            return RpcError.InvalidParams("params must be an array (positional)");
        }

        if (call.Params.GetBlockTag(0, "block", optional: false, out var tag) is { } error)
        {
            return error;
        }

        if (tag.Kind == BlockTagKind.Pending)
        {
            return await sequencer(call).ConfigureAwait(false);
        }

        var head = blocks.Head;
        var number = tag.Kind == BlockTagKind.Number ? tag.Value : head;
        if (number > head)
        {
            return RpcResult.Null;
        }

        var parameters = WithBlockNumber(call.Params.Raw, number);
        if (!isBlock)
        {
            return await ProxyAsync(method, parameters, call.Aborted).ConfigureAwait(false);
        }

        if (call.Params.GetBool(1, "full transactions flag", false, out var fullTransactions) is { } flagError)
        {
            return flagError;
        }

        return await BlockAsync("eth_getBlockByNumber", Hex.EncodeQuantity(number), fullTransactions, call.Aborted).ConfigureAwait(false);
    }

    private async ValueTask<RpcResult> ByHashAsync(RpcCall call)
    {
        if (RpcParams.FirstError(call.Params.ExpectAtMost(2), call.Params.GetHash(0, "block hash", out var hash), call.Params.GetBool(1, "full transactions flag", false, out var full)) is { } error)
        {
            return error;
        }

        return await BlockAsync("eth_getBlockByHash", hash.ToString(), full, call.Aborted).ConfigureAwait(false);
    }

    /// <summary>Executed: the node's transaction (its block hash); sequenced but not executed yet: the sequencer's, with no block fields.</summary>
    private async ValueTask<RpcResult> TransactionAsync(RpcCall call, RpcMethod sequencer)
    {
        if (RpcParams.FirstError(call.Params.ExpectAtMost(1), call.Params.GetHash(0, "transaction hash", out var hash)) is { } error)
        {
            return error;
        }

        var tx = store.GetTransaction(hash);
        if (tx is null)
        {
            return await sequencer(call).ConfigureAwait(false);
        }

        if (tx.BlockNumber <= follower.LastExecuted)
        {
            var executed = await ProxyAsync("eth_getTransactionByHash", call.Params.Raw, call.Aborted).ConfigureAwait(false);
            if (executed.IsError || !executed.IsNull)
            {
                return executed;
            }
        }

        return RpcResult.Object(views.Transaction(tx, publishedBlock: null), RpcJsonContext.Default.TransactionDto);
    }

    /// <summary>eth_getBlockReceipts(tag, number or hash): the node's receipts of an executed block; null for pending or a block not executed.</summary>
    private async ValueTask<RpcResult> BlockReceiptsAsync(RpcCall call)
    {
        if (RpcParams.FirstError(call.Params.ExpectAtMost(1), call.Params.Get(0, "block", out var block)) is { } error)
        {
            return error;
        }

        if (block.ValueKind == JsonValueKind.String && block.GetString() is { Length: 66 } text && Hash32.TryParse(text, out _))
        {
            return await ProxyAsync("eth_getBlockReceipts", call.Params.Raw, call.Aborted).ConfigureAwait(false);
        }

        if (call.Params.GetBlockTag(0, "block", optional: false, out var tag) is { } tagError)
        {
            return tagError;
        }

        var head = blocks.Head;
        var number = tag.Kind == BlockTagKind.Number ? tag.Value : head;
        if (tag.Kind == BlockTagKind.Pending || number > head)
        {
            return RpcResult.Null;
        }

        return await ProxyAsync("eth_getBlockReceipts", WithBlockNumber(call.Params.Raw, number), call.Aborted).ConfigureAwait(false);
    }

    private async ValueTask<RpcResult> BlockAsync(string method, string blockId, bool full, CancellationToken aborted)
    {
        try
        {
            return ExecutionRpcModule.Pass(await blocks.BlockAsync(method, blockId, full, aborted).ConfigureAwait(false));
        }
        catch (Exception ex) when (ex is ExecutionNodeUnavailableException or ExecutionNodeErrorException)
        {
            return ExecutionRpcModule.NodeFailure(ex, method, metrics);
        }
    }

    private async ValueTask<RpcResult> ProxyAsync(string method, JsonElement parameters, CancellationToken aborted)
    {
        try
        {
            return ExecutionRpcModule.Pass(await node.CallAsync(method, parameters, aborted).ConfigureAwait(false));
        }
        catch (Exception ex) when (ex is ExecutionNodeUnavailableException or ExecutionNodeErrorException)
        {
            return ExecutionRpcModule.NodeFailure(ex, method, metrics);
        }
    }

    /// <summary>The params with the first one (a block tag) replaced by <paramref name="number"/>, the rest as given.</summary>
    private static JsonElement WithBlockNumber(JsonElement parameters, ulong number)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            writer.WriteStringValue(Hex.EncodeQuantity(number));
            var index = 0;
            foreach (var item in parameters.EnumerateArray())
            {
                if (index++ > 0)
                {
                    item.WriteTo(writer);
                }
            }

            writer.WriteEndArray();
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }
}
