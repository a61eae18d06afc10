using Primitives;
using Primitives.Chain;
using Sequencer.Log;

namespace Sequencer.Sequencing;

/// <summary>
/// A follower's half of the single writer (docs/replication.md): appends records received from the leader to the chain
/// and the log, exactly as the leader wrote them — same sequences, blocks, timestamps and accumulators, each checked
/// against this replica's own chain before anything is changed. Runs on the writer's thread, so it never races with
/// sequencing when the node's role changes.
/// </summary>
internal sealed class ReplicaApplier(ChainAppender chain, ITransactionLog log, DurabilityPublisher publisher, IWriteRole role)
{
    public void Apply(ReplicaBatch batch)
    {
        if (role.MaySequence)
        {
            batch.Complete("this replica leads its set; it takes no records from another");
            return;
        }

        // The groups of a term this replica led are no reason to refuse its new leader (ReplicatedTransactionLog.Follow).
        log.Follow();
        if (log.Failure is { } failure)
        {
            batch.Complete("write-ahead log unavailable: " + failure.Message);
            return;
        }

        foreach (var (record, raw) in batch.Records)
        {
            if (ApplyOne(record, raw, batch) is { } refusal)
            {
                log.Commit();
                batch.Complete(refusal);
                return;
            }
        }

        log.Commit();
        batch.Complete(null);
    }

    private string? ApplyOne(in TxLogRecord record, byte[] raw, ReplicaBatch batch)
    {
        if (record.Epoch > batch.Epoch)
        {
            return $"sequence {record.Sequence} carries epoch {record.Epoch}, above the epoch {batch.Epoch} of the leader that sent it";
        }

        var store = chain.Store;
        if (record.Sequence < chain.NextSequence)
        {
            // A re-send after a lost acknowledgement: fine if it is the very record held here, in the same place. The
            // accumulator chains the transactions only, not their blocks: a deposed leader and its successor can both
            // sequence the same re-sent transaction at the same sequence in different blocks, and keeping ours would
            // leave this replica unable to take the leader's next records. Anything else is a different history here.
            if (store.GetSequenced(record.Sequence) is { } held && held.Accumulator == record.Accumulator && SamePlace(held, record))
            {
                return null;
            }

            if (record.Sequence < log.DurableEndSequence)
            {
                // Below the commit index this replica knows: held by MinAcks replicas, so by every later leader. Another
                // record here is no divergence to cut but a contradiction: refuse, keep everything.
                return $"conflict: this replica's record at sequence {record.Sequence} is committed (commit index {log.DurableEndSequence}) " +
                    $"and differs from the leader's of epoch {batch.Epoch}; nothing is cut";
            }

            if (ContinuesHeldPrefix(record, raw))
            {
                // The leader of this (accepted, newest) epoch holds every acknowledged record, and it holds another one
                // here after the same prefix: this replica's records from here on were written by a deposed leader and
                // never acknowledged, so never confirmed. They are in the chain and nonce book already, so they are cut
                // at the next start (docs/replication.md, "Takeover").
                batch.DivergedAt = record.Sequence;
                return $"diverged: this replica's records from sequence {record.Sequence} to {chain.NextSequence - 1} were never acknowledged " +
                    $"by the set (the leader of epoch {batch.Epoch} holds another history there); they are cut at its next start";
            }

            Unmatched(record, batch);
            return $"conflict: this replica holds a different record at sequence {record.Sequence} (its head is {chain.NextSequence})";
        }

        if (record.Epoch < chain.LastEpoch)
        {
            // The leader's log holds no record of a newer epoch before this one, this replica's does: their prefixes differ.
            Unmatched(record, batch);
            return $"stale_epoch: sequence {record.Sequence} carries epoch {record.Epoch}, below epoch {chain.LastEpoch} already in this replica's log";
        }

        if (record.Sequence > chain.NextSequence)
        {
            return $"gap: this replica's next sequence is {chain.NextSequence}, got {record.Sequence}";
        }

        var hash = Keccak.Hash(raw);
        if (Accumulator.Next(chain.Accumulator, hash) != record.Accumulator)
        {
            Unmatched(record, batch);
            return $"accumulator mismatch at sequence {record.Sequence}";
        }

        var blocks = chain.Blocks;
        if (blocks.Open is { } open && open.Number != record.BlockNumber)
        {
            publisher.AwaitBlock(blocks.Seal());
        }

        if (blocks.Open is null)
        {
            // The leader's empty blocks (not logged, so not shipped): each is a function of its parent (BlockAssembler.EmptyAfter).
            while (record.Index == 0 && record.BlockNumber > blocks.LastSealed.Number + 1)
            {
                publisher.AwaitBlock(blocks.SealEmpty());
            }

            if (record.BlockNumber != blocks.LastSealed.Number + 1 || record.Index != 0)
            {
                return $"sequence {record.Sequence} is in block {record.BlockNumber} at index {record.Index}, expected block {blocks.LastSealed.Number + 1} at index 0";
            }

            blocks.OpenBlock(record.Timestamp, record.Sequence);
        }

        if (record.Index != blocks.Open!.TransactionCount || record.Timestamp != blocks.Open.Timestamp)
        {
            return $"sequence {record.Sequence} does not continue block {record.BlockNumber}";
        }

        chain.Apply(hash, raw, record.Sender, record.Nonce, record.GasLimit, record.Accumulator);
        chain.NoteEpoch(record.Epoch);
        log.AppendReplica(record, raw);
        return null;
    }

    /// <summary>
    /// The batch's first record does not follow this replica's log: the leader is to step back (a record further on fails
    /// only if the leader's own records do not chain, which stepping back cannot mend).
    /// </summary>
    private static void Unmatched(in TxLogRecord record, ReplicaBatch batch)
    {
        if (record.Sequence == batch.First)
        {
            batch.Unmatched = true;
        }
    }

    private static bool SamePlace(Chain.SequencedTransaction held, in TxLogRecord record) =>
        held.BlockNumber == record.BlockNumber && held.Index == record.Index && held.Timestamp == record.Timestamp;

    /// <summary>True if <paramref name="record"/> follows the record this replica holds just before its sequence.</summary>
    private bool ContinuesHeldPrefix(in TxLogRecord record, byte[] raw)
    {
        var before = record.Sequence == 0 ? Accumulator.Genesis : chain.Store.GetSequenced(record.Sequence - 1)?.Accumulator;
        return before is { } previous && Accumulator.Next(previous, Keccak.Hash(raw)) == record.Accumulator;
    }
}
