using Primitives;
using Primitives.Rlp;
using Sequencer.Chain;
using Sequencer.History;
using Sequencer.Rpc.Dto;

namespace Sequencer.Rpc.Modules;

/// <summary>
/// eth_getTransactionReceipt when no execution node is configured (with one, the node's receipts are served).
/// Clients that wait for a receipt after sending (cast send and publish, ethers' wait(), viem's
/// waitForTransactionReceipt) would otherwise fail after the transaction was sequenced. The sequencer knows where the
/// transaction is but not what it did, so the receipt says where and leaves the outcome out: the pre-Byzantium form
/// with a zero <c>root</c> and no <c>status</c>; gas used is the gas limit (the upper bound blocks report), no logs.
/// </summary>
internal sealed class InclusionReceiptRpcModule(ChainStore store, ChainViews views) : IRpcModule
{
    private static readonly string EmptyBloom = "0x" + new string('0', 512);

    public void Register(RpcMethodTable table)
    {
        table.Add("eth_getTransactionReceipt", GetReceipt);
        table.Add("eth_getBlockReceipts", GetBlockReceipts);
    }

    /// <summary>The receipts of a published block, by number, tag or hash; null for a block not published.</summary>
    private ValueTask<RpcResult> GetBlockReceipts(RpcCall call)
    {
        if (call.Params.ExpectAtMost(1) is { } tooMany)
        {
            return ValueTask.FromResult<RpcResult>(tooMany);
        }

        ChainBlock? block;
        if (call.Params.Get(0, "block", out var value) is { } missing)
        {
            return ValueTask.FromResult<RpcResult>(missing);
        }

        if (value.ValueKind == System.Text.Json.JsonValueKind.String && value.GetString()!.Length == 66 && Hash32.TryParse(value.GetString(), out var hash))
        {
            block = store.GetBlock(hash);
        }
        else if (call.Params.GetBlockTag(0, "block", optional: false, out var tag) is { } error)
        {
            return ValueTask.FromResult<RpcResult>(RpcError.InvalidParams(error.Message["invalid params: ".Length..] + " or a 32-byte block hash"));
        }
        else
        {
            block = tag.Kind switch
            {
                BlockTagKind.Number when tag.Value <= store.LatestBlockNumber => store.GetBlock(tag.Value),
                BlockTagKind.Number => null,
                _ => store.LatestBlock,
            };
        }

        if (block is null || block.Number > store.LatestBlockNumber)
        {
            return ValueTask.FromResult(RpcResult.Null);
        }

        var receipts = new List<InclusionReceiptDto>(block.TransactionCount);
        var cumulative = 0UL;
        for (var i = 0; i < block.TransactionCount; i++)
        {
            if (store.GetTransaction(block.FirstSequence + i) is { } tx)
            {
                cumulative += tx.GasLimit;
                receipts.Add(Receipt(tx, block, cumulative));
            }
        }

        return ValueTask.FromResult(RpcResult.Object(receipts, RpcJsonContext.Default.ListInclusionReceiptDto));
    }

    private ValueTask<RpcResult> GetReceipt(RpcCall call)
    {
        if (RpcParams.FirstError(call.Params.ExpectAtMost(1), call.Params.GetHash(0, "transaction hash", out var hash)) is { } error)
        {
            return ValueTask.FromResult<RpcResult>(error);
        }

        var tx = store.GetTransaction(hash);
        var block = tx is null ? null : store.GetBlock(tx.BlockNumber);
        if (tx is null || block is null || tx.BlockNumber > store.LatestBlockNumber)
        {
            // Like any node: no receipt until the transaction's block is published.
            return ValueTask.FromResult(RpcResult.Null);
        }

        var cumulative = 0UL;
        for (var sequence = block.FirstSequence; sequence <= tx.Sequence; sequence++)
        {
            cumulative += store.GetTransaction(sequence)?.GasLimit ?? 0;
        }

        return ValueTask.FromResult(RpcResult.Object(Receipt(tx, block, cumulative), RpcJsonContext.Default.InclusionReceiptDto));
    }

    private InclusionReceiptDto Receipt(SequencedTransaction tx, ChainBlock block, ulong cumulative)
    {
        var view = views.Transaction(tx, block);
        return new InclusionReceiptDto
        {
            TransactionHash = view.Hash,
            TransactionIndex = view.TransactionIndex!,
            BlockHash = view.BlockHash!,
            BlockNumber = view.BlockNumber!,
            From = view.From,
            To = view.To,
            CumulativeGasUsed = Hex.EncodeQuantity(cumulative),
            GasUsed = view.Gas,
            EffectiveGasPrice = view.GasPrice,
            ContractAddress = view.To is null ? CreatedAddress(tx.Sender, tx.Nonce).ToString() : null,
            Logs = [],
            LogsBloom = EmptyBloom,
            Type = view.Type,
            Root = BlockConstants.ZeroHash,
        };
    }

    /// <summary>CREATE's address: the last 20 bytes of keccak256(rlp([sender, nonce])), known without executing.</summary>
    private static Address CreatedAddress(Address sender, ulong nonce)
    {
        Span<byte> buffer = stackalloc byte[64];
        var payload = RlpWriter.StringLength(sender.Bytes) + RlpWriter.UInt64Length(nonce);
        var length = RlpWriter.WriteListHeader(buffer, payload);
        length += RlpWriter.WriteString(buffer[length..], sender.Bytes);
        length += RlpWriter.WriteUInt64(buffer[length..], nonce);
        var hash = Keccak.Hash(buffer[..length]);
        return new Address(hash.Bytes[12..]);
    }
}
