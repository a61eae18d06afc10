namespace Batcher.Format;

/// <summary>A batch read back from its bytes.</summary>
public sealed record DecodedBatch(BatchHeader Header, IReadOnlyList<BatchBlock> Blocks)
{
    /// <summary>The forced entries the batch consumes; <see cref="ForcedSection.None"/> for a version-1 batch.</summary>
    public ForcedSection Forced { get; init; } = ForcedSection.None;
}
