namespace Primitives.Chain;

/// <summary>
/// A block as the sequencer sealed it: the batcher's whole input. Plain data so that the
/// batcher never depends on the host. Hashes are 32 bytes, big-endian as on the wire.
/// </summary>
/// <param name="Number">Block number; block 0 is genesis and is never batched.</param>
/// <param name="Timestamp">Unix seconds.</param>
/// <param name="ParentHash">Hash of block <c>Number - 1</c>.</param>
/// <param name="Hash">keccak256 of the RLP header (docs/rpc.md, "Block hash").</param>
/// <param name="FirstSequence">Sequence number of the first transaction in the block.</param>
/// <param name="Accumulator">Accumulator after the block's last transaction.</param>
/// <param name="Transactions">Raw signed transactions (EIP-2718 envelopes), in order.</param>
public sealed record SealedBlock(
    ulong Number,
    ulong Timestamp,
    ReadOnlyMemory<byte> ParentHash,
    ReadOnlyMemory<byte> Hash,
    ulong FirstSequence,
    ReadOnlyMemory<byte> Accumulator,
    IReadOnlyList<ReadOnlyMemory<byte>> Transactions);
