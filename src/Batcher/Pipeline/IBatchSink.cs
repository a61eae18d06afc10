using DaClient;

namespace Batcher.Pipeline;

/// <summary>A batch that is in DA (or goes as calldata), with the commitment that says where.</summary>
internal readonly record struct PublishedBatch(BuiltBatch Batch, DaCommitment Commitment);

/// <summary>
/// Where published batches go and the checkpoint moves past them: L1 (<see cref="L1PostSink"/>, a post each) or,
/// with L1 posting off, the journal (<see cref="JournalSink"/>, a group at a time).
/// </summary>
internal interface IBatchSink
{
    /// <summary>How many published batches one <see cref="TakeAsync"/> takes at most.</summary>
    int MaxGroup { get; }

    /// <summary>Records the batches durably, in order, and moves the checkpoint past them.</summary>
    Task TakeAsync(IReadOnlyList<PublishedBatch> batches, CancellationToken cancellationToken);
}
