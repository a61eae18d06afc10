using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Options;
using Sequencer.Options;
using Primitives;
using Sequencer.Sequencing;
using Sequencer.Submission;
using Sequencer.Transactions;
using Sequencer.Chain;
using Sequencer.History;

namespace Sequencer.Rpc.Modules;

/// <summary>The standard Ethereum methods the sequencer answers itself (docs/rpc.md).</summary>
internal sealed class EthRpcModule(
    ChainStore store,
    NonceBook nonces,
    ChainViews views,
    TransactionSubmitter submitter,
    IOptions<SequencerOptions> options) : IRpcModule
{
    private static readonly string ClientVersion =
        $"rollup-sequencer/{typeof(EthRpcModule).Assembly.GetName().Version?.ToString(3) ?? "0.0.0"}/dotnet{Environment.Version.Major}";

    private readonly int _queueWaitMs = options.Value.QueueWaitMs;
    private readonly string _chainIdHex = Hex.EncodeQuantity(options.Value.ChainId);
    private readonly string _netVersion = options.Value.ChainId.ToString(CultureInfo.InvariantCulture);

    public void Register(RpcMethodTable table)
    {
        table.Add("eth_chainId", _ => Constant(_chainIdHex));
        table.Add("net_version", _ => Constant(_netVersion));
        table.Add("web3_clientVersion", _ => Constant(ClientVersion));
        table.Add("eth_blockNumber", _ => Constant(Hex.EncodeQuantity(store.LatestBlockNumber)));
        table.Add("eth_sendRawTransaction", SendRawTransactionAsync, RpcParamsShape.OneString);
        table.Add("eth_getBlockByNumber", GetBlockByNumber);
        table.Add("eth_getBlockByHash", GetBlockByHash);
        // The sequencer's own blocks (its block hash, the commitment batches and verify use), also when an execution
        // node's blocks are what eth_getBlockBy* serve (docs/execution.md, "Block hashes").
        table.Add("sequencer_getBlockByNumber", GetBlockByNumber);
        table.Add("sequencer_getBlockByHash", GetBlockByHash);
        table.Add("eth_getTransactionByHash", GetTransactionByHash);
        table.Add("eth_getTransactionCount", GetTransactionCount);
    }

    private static ValueTask<RpcResult> Constant(string value) => ValueTask.FromResult(RpcResult.String(value));

    // Pooled frames: one per transaction per async layer was among the write path's largest allocations (issue 16);
    // every caller awaits the result once, which is all a pooled ValueTask allows.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<RpcResult> SendRawTransactionAsync(RpcCall call)
    {
        if (RpcParams.FirstError(call.Params.ExpectAtMost(1), call.Params.GetData(0, "transaction", out var raw)) is { } error)
        {
            return error;
        }

        var outcome = await submitter.SubmitAsync(raw, TxLane.Paid, call.ClientAddress, call.Aborted).ConfigureAwait(false);
        return SubmissionErrors.From(outcome, _queueWaitMs) is { } refused
            ? refused
            : RpcResult.String(outcome.Confirmed!.Hash.ToString());
    }

    private ValueTask<RpcResult> GetBlockByNumber(RpcCall call)
    {
        if (RpcParams.FirstError(call.Params.ExpectAtMost(2), call.Params.GetBlockTag(0, "block", optional: false, out var tag), call.Params.GetBool(1, "full transactions flag", false, out var full)) is { } error)
        {
            return ValueTask.FromResult<RpcResult>(error);
        }

        if (tag.Kind == BlockTagKind.Pending)
        {
            var pending = store.PendingBlock;
            if (pending is not null && store.DurableTransactionCount(pending) > 0)
            {
                return ValueTask.FromResult(full
                    ? RpcResult.Object(views.Full(pending, published: false), RpcJsonContext.Default.BlockDtoTransactionDto)
                    : RpcResult.Object(views.Pending(pending), RpcJsonContext.Default.BlockDtoString));
            }

            tag = BlockTag.Latest;
        }

        var block = tag.Kind == BlockTagKind.Latest ? store.LatestBlock : store.GetBlock(tag.Value);
        return ValueTask.FromResult(BlockResult(block, full));
    }

    private ValueTask<RpcResult> GetBlockByHash(RpcCall call)
    {
        if (RpcParams.FirstError(call.Params.ExpectAtMost(2), call.Params.GetHash(0, "block hash", out var hash), call.Params.GetBool(1, "full transactions flag", false, out var full)) is { } error)
        {
            return ValueTask.FromResult<RpcResult>(error);
        }

        return ValueTask.FromResult(BlockResult(store.GetBlock(hash), full));
    }

    private RpcResult BlockResult(ChainBlock? block, bool full)
    {
        if (block is null)
        {
            return RpcResult.Null;
        }

        return full
            ? RpcResult.Object(views.Full(block, published: true), RpcJsonContext.Default.BlockDtoTransactionDto)
            : RpcResult.Object(views.Header(block, withTransactions: true), RpcJsonContext.Default.BlockDtoString);
    }

    private ValueTask<RpcResult> GetTransactionByHash(RpcCall call)
    {
        if (RpcParams.FirstError(call.Params.ExpectAtMost(1), call.Params.GetHash(0, "transaction hash", out var hash)) is { } error)
        {
            return ValueTask.FromResult<RpcResult>(error);
        }

        var tx = store.GetTransaction(hash);
        if (tx is null)
        {
            return ValueTask.FromResult(RpcResult.Null);
        }

        var block = store.GetBlock(tx.BlockNumber);
        return ValueTask.FromResult(RpcResult.Object(views.Transaction(tx, block), RpcJsonContext.Default.TransactionDto));
    }

    private ValueTask<RpcResult> GetTransactionCount(RpcCall call)
    {
        if (RpcParams.FirstError(call.Params.ExpectAtMost(2), call.Params.GetAddress(0, "address", out var address), call.Params.GetBlockTag(1, "block", optional: true, out var tag)) is { } error)
        {
            return ValueTask.FromResult<RpcResult>(error);
        }

        ulong count;
        switch (tag.Kind)
        {
            case BlockTagKind.Pending:
                count = nonces.GetPending(address);
                break;
            case BlockTagKind.Number when tag.Value < store.LatestBlockNumber:
                return ValueTask.FromResult<RpcResult>(RpcError.InvalidParams(
                    $"nonces at past block {tag.Value} are not kept by the sequencer; ask for latest or pending"));
            default:
                count = store.GetLatestNonce(address);
                break;
        }

        return ValueTask.FromResult(RpcResult.String(Hex.EncodeQuantity(count)));
    }
}
