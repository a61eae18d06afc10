namespace Batcher.Format;

/// <summary>A batch read back from its bytes.</summary>
public sealed record DecodedBatch(BatchHeader Header, IReadOnlyList<BatchBlock> Blocks);
