using Batcher.L1;
using Primitives;
using Primitives.Chain;
using Sequencer.History;
using Sequencer.Rpc.Dto;

namespace Sequencer.Rpc.Modules;

/// <summary>
/// sequencer_getInclusionProof(txHash) (docs/rpc.md): once the batch holding a transaction is posted on L1 and as deep
/// as the poster's confirmation depth, the Merkle path from its leaf to the batch's <c>txRoot</c> as the inbox stores
/// it: what BatchInbox.proveEquivocation takes, so that a user can hold any conflicting confirmation against it.
/// </summary>
internal sealed class InclusionProofRpcModule(ChainStore store, PostedBatchSource? posted = null) : IRpcModule
{
    private const int MaxBatchTransactions = 1 << 20;

    public void Register(RpcMethodTable table) => table.Add("sequencer_getInclusionProof", GetInclusionProofAsync);

    private async ValueTask<RpcResult> GetInclusionProofAsync(RpcCall call)
    {
        if (RpcParams.FirstError(call.Params.ExpectAtMost(1), call.Params.GetHash(0, "transaction hash", out var hash)) is { } error)
        {
            return error;
        }

        if (posted is null)
        {
            return RpcResult.Fail(-32000, "L1 posting is off (Batcher:L1:Enabled): no batch is posted on L1, so there is no inclusion proof");
        }

        if (store.GetTransaction(hash) is not { } tx)
        {
            return RpcResult.Null;
        }

        ulong atBlock;
        PostedBatchCommitment? batch;
        try
        {
            atBlock = await posted.Queue.ReadConfirmedBlockAsync(posted.Confirmations, call.Aborted).ConfigureAwait(false);
            batch = await posted.Locator.FindAsync((ulong)tx.Sequence, atBlock, call.Aborted).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return RpcResult.Fail(-32000, "L1 unavailable: " + e.Message);
        }

        if (batch is null)
        {
            return RpcResult.Null;
        }

        if (batch.TxCount > MaxBatchTransactions)
        {
            return RpcResult.Fail(-32000, $"batch {batch.BatchIndex} holds {batch.TxCount} transactions, more than this method proves ({MaxBatchTransactions})");
        }

        var leaves = new Hash32[batch.TxCount];
        for (var i = 0; i < leaves.Length; i++)
        {
            var sequence = batch.FirstSequence + (ulong)i;
            if (store.GetSequenced((long)sequence) is not { } member)
            {
                return RpcResult.Fail(-32603, $"sequence {sequence} of batch {batch.BatchIndex} is not in this node's history");
            }

            leaves[i] = TransactionTree.Leaf(sequence, member.Hash, member.Accumulator);
        }

        var position = (int)((ulong)tx.Sequence - batch.FirstSequence);
        if (!TransactionTree.Root(leaves).Bytes.SequenceEqual(batch.TxRoot))
        {
            return RpcResult.Fail(-32603, $"batch {batch.BatchIndex}: the root on L1 is not the root of this node's transactions");
        }

        var siblings = TransactionTree.Path(leaves, position);
        var names = new string[siblings.Length];
        for (var i = 0; i < names.Length; i++)
        {
            names[i] = siblings[i].ToString();
        }

        return RpcResult.Object(new InclusionProofDto
        {
            TxHash = tx.Hash.ToString(),
            Sequence = Hex.EncodeQuantity((ulong)tx.Sequence),
            BatchIndex = Hex.EncodeQuantity(batch.BatchIndex),
            FirstSequence = Hex.EncodeQuantity(batch.FirstSequence),
            TxCount = Hex.EncodeQuantity(batch.TxCount),
            TxRoot = new Hash32(batch.TxRoot).ToString(),
            Accumulator = tx.Accumulator.ToString(),
            Siblings = names,
            Inbox = posted.Inbox,
            L1Block = Hex.EncodeQuantity(atBlock),
        }, RpcJsonContext.Default.InclusionProofDto);
    }
}

/// <summary>Where inclusion proofs are read from: the inbox on L1, at the poster's confirmation depth.</summary>
internal sealed record PostedBatchSource(string Inbox, ForcedQueueReader Queue, PostedBatchLocator Locator, int Confirmations);
