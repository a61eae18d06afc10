namespace Batcher.L1;

/// <summary>One entry of the inbox's forced-inclusion queue, with the bytes its event carried (keccak256 checked).</summary>
public sealed record ForcedQueueEntry(ulong QueueIndex, ulong L1Block, byte[] TxHash, byte[] RawTx);
