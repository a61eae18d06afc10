using Nethereum.ABI.FunctionEncoding.Attributes;

namespace Batcher.L1;

[Event("BatchAppended")]
public sealed class BatchAppendedEvent : IEventDTO
{
    [Parameter("uint64", "batchIndex", 1, true)]
    public ulong BatchIndex { get; set; }

    [Parameter("uint64", "firstBlock", 2, false)]
    public ulong FirstBlock { get; set; }

    [Parameter("uint64", "lastBlock", 3, false)]
    public ulong LastBlock { get; set; }

    [Parameter("bytes32", "batchHash", 4, false)]
    public byte[] BatchHash { get; set; } = [];

    [Parameter("bytes32", "accumulator", 5, false)]
    public byte[] Accumulator { get; set; } = [];

    [Parameter("uint64", "firstSequence", 6, false)]
    public ulong FirstSequence { get; set; }

    [Parameter("uint64", "txCount", 7, false)]
    public ulong TxCount { get; set; }

    [Parameter("bytes32", "txRoot", 8, false)]
    public byte[] TxRoot { get; set; } = [];

    [Parameter("uint64", "forcedFrom", 9, false)]
    public ulong ForcedFrom { get; set; }

    [Parameter("uint64", "forcedThrough", 10, false)]
    public ulong ForcedThrough { get; set; }

    [Parameter("bytes", "daCommitment", 11, false)]
    public byte[] DaCommitment { get; set; } = [];
}
