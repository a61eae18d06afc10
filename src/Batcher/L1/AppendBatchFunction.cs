using Nethereum.ABI.FunctionEncoding.Attributes;
using Nethereum.Contracts;

namespace Batcher.L1;

[Function("appendBatch")]
public sealed class AppendBatchFunction : FunctionMessage
{
    [Parameter("uint64", "batchIndex", 1)]
    public ulong BatchIndex { get; set; }

    [Parameter("uint64", "firstBlock", 2)]
    public ulong FirstBlock { get; set; }

    [Parameter("uint64", "lastBlock", 3)]
    public ulong LastBlock { get; set; }

    [Parameter("bytes32", "batchHash", 4)]
    public byte[] BatchHash { get; set; } = [];

    [Parameter("bytes32", "accumulator", 5)]
    public byte[] Accumulator { get; set; } = [];

    [Parameter("uint64", "txCount", 6)]
    public ulong TxCount { get; set; }

    /// <summary>Merkle root over the batch's transactions (Primitives.Chain.TransactionTree).</summary>
    [Parameter("bytes32", "txRoot", 7)]
    public byte[] TxRoot { get; set; } = [];

    /// <summary>The batch consumes forced-queue entries [nextForcedIndex, ForcedThrough).</summary>
    [Parameter("uint64", "forcedThrough", 8)]
    public ulong ForcedThrough { get; set; }

    [Parameter("bytes", "daCommitment", 9)]
    public byte[] DaCommitment { get; set; } = [];
}

[Function("nextBatchIndex", "uint64")]
public sealed class NextBatchIndexFunction : FunctionMessage;

[Function("nextBlock", "uint64")]
public sealed class NextBlockFunction : FunctionMessage;

[Function("batchHashes", "bytes32")]
public sealed class BatchHashesFunction : FunctionMessage
{
    [Parameter("uint64", "", 1)]
    public ulong BatchIndex { get; set; }
}

[Function("batcher", "address")]
public sealed class BatcherFunction : FunctionMessage;

[Function("nextSequence", "uint64")]
public sealed class NextSequenceFunction : FunctionMessage;

[Function("nextForcedIndex", "uint64")]
public sealed class NextForcedIndexFunction : FunctionMessage;
