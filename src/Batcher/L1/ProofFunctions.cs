using Nethereum.ABI.FunctionEncoding.Attributes;
using Nethereum.Contracts;

namespace Batcher.L1;

/// <summary>BatchInbox.SoftConfirmation: docs/rpc.md's signed fields, in the type's order.</summary>
[Struct("SoftConfirmation")]
public sealed class SoftConfirmationStruct
{
    [Parameter("bytes32", "txHash", 1)]
    public byte[] TxHash { get; set; } = [];

    [Parameter("uint64", "sequence", 2)]
    public ulong Sequence { get; set; }

    [Parameter("uint64", "blockNumber", 3)]
    public ulong BlockNumber { get; set; }

    [Parameter("uint32", "index", 4)]
    public uint Index { get; set; }

    [Parameter("uint64", "timestamp", 5)]
    public ulong Timestamp { get; set; }

    [Parameter("bytes32", "accumulator", 6)]
    public byte[] Accumulator { get; set; } = [];
}

/// <summary>BatchInbox.InclusionProof: the leaf a batch posted for a sequence and its Merkle path.</summary>
[Struct("InclusionProof")]
public sealed class InclusionProofStruct
{
    [Parameter("uint64", "batchIndex", 1)]
    public ulong BatchIndex { get; set; }

    [Parameter("bytes32", "postedTxHash", 2)]
    public byte[] PostedTxHash { get; set; } = [];

    [Parameter("bytes32", "postedAccumulator", 3)]
    public byte[] PostedAccumulator { get; set; } = [];

    [Parameter("bytes32[]", "siblings", 4)]
    public List<byte[]> Siblings { get; set; } = [];
}

[Function("proveEquivocation")]
public sealed class ProveEquivocationFunction : FunctionMessage
{
    [Parameter("tuple", "confirmation", 1)]
    public SoftConfirmationStruct Confirmation { get; set; } = new();

    [Parameter("bytes", "signature", 2)]
    public byte[] Signature { get; set; } = [];

    [Parameter("tuple", "proof", 3)]
    public InclusionProofStruct Proof { get; set; } = new();
}

[Function("proveNotPublished")]
public sealed class ProveNotPublishedFunction : FunctionMessage
{
    [Parameter("tuple", "confirmation", 1)]
    public SoftConfirmationStruct Confirmation { get; set; } = new();

    [Parameter("bytes", "signature", 2)]
    public byte[] Signature { get; set; } = [];
}

[Function("confirmationDigest", "bytes32")]
public sealed class ConfirmationDigestFunction : FunctionMessage
{
    [Parameter("tuple", "c", 1)]
    public SoftConfirmationStruct Confirmation { get; set; } = new();
}
