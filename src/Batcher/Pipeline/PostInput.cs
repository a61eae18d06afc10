using Batcher.L1;
using DaClient;
using Nethereum.Hex.HexConvertors.Extensions;

namespace Batcher.Pipeline;

/// <summary>The transaction input of a post: appendBatch's arguments, and in calldata mode the batch itself.</summary>
public static class PostInput
{
    /// <summary>The transaction input of a batch's post: appendBatch from the batch's own bytes, and the batch itself in calldata mode.</summary>
    public static byte[] For(BuiltBatch batch, DaCommitment commitment) =>
        L1Poster.BuildInput(
            new AppendBatchFunction
            {
                BatchIndex = batch.Index,
                FirstBlock = batch.FirstBlock,
                LastBlock = batch.LastBlock,
                BatchHash = batch.Hash,
                Accumulator = batch.EndAccumulator,
                TxCount = (ulong)batch.TransactionCount,
                TxRoot = batch.TxRoot,
                ForcedThrough = batch.ForcedThrough,
                DaCommitment = commitment.ToBytes(),
            },
            commitment.Kind == DaCommitmentKind.L1Calldata ? batch.Bytes : default);

    /// <summary>The input of a post made again from its journal line (read back from disk, so from hex once).</summary>
    public static byte[] For(BatchRecord line, ReadOnlySpan<byte> calldataBatch) =>
        L1Poster.BuildInput(
            new AppendBatchFunction
            {
                BatchIndex = line.BatchIndex,
                FirstBlock = line.FirstBlock,
                LastBlock = line.LastBlock,
                BatchHash = line.BatchHash.HexToByteArray(),
                Accumulator = line.Accumulator.HexToByteArray(),
                TxCount = line.TxCount,
                TxRoot = line.TxRoot.HexToByteArray(),
                ForcedThrough = line.ForcedThrough,
                DaCommitment = line.DaCommitment.HexToByteArray(),
            },
            calldataBatch);
}
