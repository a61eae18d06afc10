using Primitives;
using Primitives.Chain;
using Sequencer.History;
using Sequencer.Log;
using Sequencer.Chain;

namespace Sequencer.Sequencing;

/// <summary>State rebuilt from the log: where sequencing resumes.</summary>
/// <param name="NextSequence">The sequence the next transaction gets.</param>
/// <param name="Accumulator">The accumulator after the last one.</param>
/// <param name="Report">What reading the log found.</param>
/// <param name="Checkpoint">The checkpoint the replay started from; null for a replay of the whole log.</param>
/// <param name="CheckpointProblem">Why a checkpoint file that exists was not used.</param>
/// <param name="ChunksRebuilt">History chunks rebuilt from the log because they were missing or damaged.</param>
internal sealed record RecoveredChain(
    long NextSequence, Hash32 Accumulator, WalRecoveryReport Report, Checkpoint? Checkpoint = null, string? CheckpointProblem = null, int ChunksRebuilt = 0);

/// <summary>
/// Replays the write-ahead log into the chain store and nonce book: same sequence numbers, same accumulators
/// (re-derived and checked against the log), same blocks and block hashes. The block that was open at the crash is
/// sealed: everything in it was durable, so every confirmation that went out still holds.
/// </summary>
/// <remarks>
/// With a checkpoint (<see cref="Checkpoint"/>) only the records after it are replayed; everything before it is
/// served from disk through the history index, whose missing chunks up to the checkpoint are rebuilt first. Without
/// one the whole log is replayed. The replay reads each record once and hashes it once: a reader thread
/// (<see cref="ReplayReader"/>) reads the records in batches, checks their frames and hashes each transaction, while
/// this thread checks each record's accumulator against the one stored in the record before it and applies the batch
/// before, in order (<see cref="ReplayBatches"/>: errors surface in log order, and a torn write is cut only after
/// every record before it was applied).
/// </remarks>
internal static class ChainRecovery
{
    private const int BatchSize = 4096;
    private const int Batches = 4;

    /// <param name="walDirectory">The log.</param>
    /// <param name="historyDirectory">The history index and checkpoint.</param>
    /// <param name="chain">What the replay fills.</param>
    /// <param name="chunkRecords">History chunk size in records.</param>
    /// <param name="chunkBytes">History chunk size in bytes.</param>
    /// <param name="fsync">Whether rebuilt chunks are fsynced.</param>
    /// <param name="sealLastBlock">
    /// True for a single node: the block open at the crash is sealed. False in a replica set, where block seals are the
    /// leader's (docs/replication.md, "Block seals"): the block stays open, for the leader's next records to continue it
    /// or its next block to close it.
    /// </param>
    public static RecoveredChain Replay(
        string walDirectory, string historyDirectory, ChainAppender chain, long chunkRecords, long chunkBytes, bool fsync, bool sealLastBlock = true)
    {
        var store = chain.Store;
        var blocks = chain.Blocks;
        Directory.CreateDirectory(walDirectory);
        var history = HistoryIndex.Open(walDirectory, historyDirectory, store.Genesis);
        var checkpoint = Checkpoint.TryRead(historyDirectory, out var problem);
        var rebuilt = 0;
        if (checkpoint is not null && history.IndexedEnd < checkpoint.Position.Sequence)
        {
            // Derived data lost or damaged: rebuild the chunks up to the checkpoint from the log.
            rebuilt = IndexUpTo(history, checkpoint.Position.Sequence, chunkRecords, chunkBytes, blocks.GasLimit, fsync);
        }

        // The log is read, checked and hashed on a thread of its own while this one loads the checkpoint's state and
        // then applies what was read, a batch behind (ReplayBatches).
        var batches = new ReplayBatches(Batches, BatchSize);
        var reader = ReplayReader.Start(walDirectory, checkpoint?.Position, batches);
        try
        {
            // A chunk written after the checkpoint (stopped before the next checkpoint) is harmless: its records are
            // replayed into memory and leave it again as indexed.
            store.Attach(history, checkpoint);
            if (checkpoint is not null)
            {
                blocks.Resume(checkpoint.LastBlock);
                chain.Nonces.Restore(checkpoint.Nonces);
                chain.Resume(checkpoint.Position.Sequence, checkpoint.LastBlock.Accumulator);
                if (!sealLastBlock)
                {
                    // In a replica set the epoch of the last record counts (the campaign gate ranks heads by it), also
                    // when the checkpoint covers every record.
                    chain.NoteEpoch(CheckpointEpoch.Of(walDirectory, checkpoint.Position.Sequence - 1));
                }
            }

            // Each record's accumulator against the one stored in the record before it (the checkpoint's for the first).
            var previous = chain.Accumulator;
            while (batches.Take() is { } batch)
            {
                for (var i = 0; i < batch.Count; i++)
                {
                    if (Accumulator.Next(previous, batch.Hashes[i]) != batch.Records[i].Accumulator)
                    {
                        throw new WalCorruptedException($"write-ahead log: accumulator mismatch at sequence {batch.Records[i].Sequence}");
                    }

                    previous = batch.Records[i].Accumulator;

                    Apply(batch.Records[i], batch.Raws[i], batch.Hashes[i], chain);
                }

                batches.Return(batch);
            }
        }
        catch
        {
            // Nothing may go on reading, or change the log, once the start has failed.
            batches.Abandon();
            reader.Join();
            throw;
        }

        var report = reader.Finish();
        if (blocks.Open is not null && sealLastBlock)
        {
            Publish(store, blocks.Seal());
        }

        var next = chain.NextSequence;
        store.MarkDurable(next);
        history.DropFrom(next);
        store.RecountUnindexed();
        return new RecoveredChain(next, chain.Accumulator, report, checkpoint, problem, rebuilt);
    }

    /// <summary>Builds chunks from where the index ends up to <paramref name="end"/> (a block boundary). Returns how many.</summary>
    public static int IndexUpTo(HistoryIndex history, long end, long chunkRecords, long chunkBytes, ulong gasLimit, bool fsync)
    {
        var built = 0;
        while (history.IndexedEnd < end)
        {
            var (start, previous) = history.NextStart();
            var build = HistoryChunkBuilder.Build(history.WalDirectory, history.Directory, start, previous, end, chunkRecords, chunkBytes, gasLimit, fsync)
                ?? throw new InvalidOperationException("nothing to index");
            history.Append(build.Chunk);
            built++;
        }

        return built;
    }

    /// <summary>Opens and seals blocks where the log says, then appends the record through <see cref="ChainAppender.Apply"/>.</summary>
    private static void Apply(in TxLogRecord record, byte[] raw, Hash32 hash, ChainAppender chain)
    {
        var blocks = chain.Blocks;
        if (blocks.Open is { } open && open.Number != record.BlockNumber)
        {
            Publish(chain.Store, blocks.Seal());
        }

        if (blocks.Open is null)
        {
            // A gap in the log's block numbers: empty blocks, sealed live and not logged (BlockAssembler.EmptyAfter).
            while (record.Index == 0 && record.BlockNumber > blocks.LastSealed.Number + 1)
            {
                Publish(chain.Store, blocks.SealEmpty());
            }

            if (record.BlockNumber != blocks.LastSealed.Number + 1 || record.Index != 0)
            {
                throw new WalCorruptedException(
                    $"write-ahead log: sequence {record.Sequence} is in block {record.BlockNumber} at index {record.Index}, expected block {blocks.LastSealed.Number + 1} at index 0");
            }

            blocks.OpenBlock(record.Timestamp, record.Sequence);
        }

        if (record.Index != blocks.Open!.TransactionCount || record.Timestamp != blocks.Open.Timestamp || record.Sequence != chain.NextSequence)
        {
            throw new WalCorruptedException($"write-ahead log: sequence {record.Sequence} does not continue block {record.BlockNumber}");
        }

        chain.Apply(hash, raw, record.Sender, record.Nonce, record.GasLimit, record.Accumulator);
        chain.NoteEpoch(record.Epoch);
        chain.Store.SetLatestNonce(record.Sender, record.Nonce + 1);
    }

    /// <summary>A block rebuilt from the log is durable (all of it was read back): publish it at once.</summary>
    private static void Publish(ChainStore store, ChainBlock block)
    {
        store.MarkDurable(block.FirstSequence + block.TransactionCount);
        store.PublishBlock(block, moveNonces: false);
    }
}
