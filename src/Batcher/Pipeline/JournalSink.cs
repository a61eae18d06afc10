namespace Batcher.Pipeline;

/// <summary>
/// L1 posting off: the journal is where batches are "posted". A group of batches (those built already, at most one
/// round of encoders' worth, so the journal never lags far) goes in with one fsync, then the checkpoint with one more,
/// instead of two per batch; each counts as confirmed once it is in.
/// </summary>
internal sealed class JournalSink(BatchJournal journal, CheckpointState state, BatcherStatus status, int encodeParallelism) : IBatchSink
{
    public int MaxGroup => encodeParallelism + 1;

    public async Task TakeAsync(IReadOnlyList<PublishedBatch> batches, CancellationToken cancellationToken)
    {
        var lines = new BatchRecord[batches.Count];
        for (var i = 0; i < lines.Length; i++)
        {
            lines[i] = BatchRecord.Of(batches[i].Batch, batches[i].Commitment);
        }

        await journal.AppendAsync(lines, cancellationToken).ConfigureAwait(false);
        using (await state.EnterAsync(cancellationToken).ConfigureAwait(false))
        {
            foreach (var published in batches)
            {
                state.Advance(published.Batch);
            }

            state.Checkpoint.LastConfirmedBatch = (long)batches[^1].Batch.Index;
            state.Save();
            foreach (var published in batches)
            {
                status.Confirmed(published.Batch.Index);
            }
        }
    }
}
