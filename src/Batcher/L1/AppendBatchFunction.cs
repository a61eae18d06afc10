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

    [Parameter("bytes", "daCommitment", 6)]
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

/// <summary>Constructor call of BatchInbox.</summary>
public sealed class InboxDeployment() : ContractDeploymentMessage(InboxContract.Bytecode)
{
    [Parameter("address", "batcher_", 1)]
    public string Batcher { get; set; } = "";
}

