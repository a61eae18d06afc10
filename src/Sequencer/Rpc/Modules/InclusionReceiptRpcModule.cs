using Primitives;
using Primitives.Rlp;
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

    public void Register(RpcMethodTable table) => table.Add("eth_getTransactionReceipt", GetReceipt);

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

        var view = views.Transaction(tx, block);
        var cumulative = 0UL;
        for (var sequence = block.FirstSequence; sequence <= tx.Sequence; sequence++)
        {
            cumulative += store.GetTransaction(sequence)?.GasLimit ?? 0;
        }

        var receipt = new InclusionReceiptDto
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
        return ValueTask.FromResult(RpcResult.Object(receipt, RpcJsonContext.Default.InclusionReceiptDto));
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
