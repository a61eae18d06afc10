namespace Primitives.Chain;

/// <summary>
/// Where the batcher reads sealed blocks from. Pull-based so that a restarted batcher
/// resumes from its own checkpoint: the host keeps every sealed block and never pushes.
/// </summary>
public interface ISealedBlockSource
{
    /// <summary>Number of the newest sealed (durable, published) block; 0 when only genesis exists.</summary>
    ulong LatestSealedNumber { get; }

    /// <summary>The sealed block with this number, or null if it is not sealed yet.</summary>
    SealedBlock? GetSealedBlock(ulong number);

    /// <summary>Completes once block <paramref name="number"/> is sealed (at once if it already is).</summary>
    ValueTask WaitForSealedBlockAsync(ulong number, CancellationToken cancellationToken);
}
