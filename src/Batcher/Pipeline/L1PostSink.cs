namespace Batcher.Pipeline;

/// <summary>Each batch into the journal, then posted to the inbox (<see cref="L1PostTracker"/> follows the post).</summary>
internal sealed class L1PostSink(BatchJournal journal, L1PostTracker tracker) : IBatchSink
{
    public int MaxGroup => 1;

    public async Task TakeAsync(IReadOnlyList<PublishedBatch> batches, CancellationToken cancellationToken)
    {
        foreach (var (batch, commitment) in batches)
        {
            // In the journal before the checkpoint moves past the batch: should L1 lose the post, the journal is
            // what lets the same batch be posted again.
            var line = BatchRecord.Of(batch, commitment);
            await journal.AppendAsync([line], cancellationToken).ConfigureAwait(false);
            await tracker.SendAsync(line, batch.Bytes.Length, PostInput.For(batch, commitment), batch, cancellationToken).ConfigureAwait(false);
        }
    }
}
