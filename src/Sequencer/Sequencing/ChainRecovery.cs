using Primitives;
using Primitives.Chain;
using Sequencer.Log;

namespace Sequencer.Sequencing;

/// <summary>State rebuilt from the log: where sequencing resumes.</summary>
internal sealed record RecoveredChain(long NextSequence, Hash32 Accumulator, WalRecoveryReport Report);

/// <summary>
/// Replays the write-ahead log into the chain store and nonce book: same sequence numbers, same
/// accumulators (re-derived and checked against the log), same blocks and block hashes. The block
/// that was open at the crash is sealed: everything in it was durable, so every confirmation that
/// went out still holds.
/// </summary>
internal static class ChainRecovery
{
    public static RecoveredChain Replay(string walDirectory, ChainStore store, NonceBook nonces, BlockAssembler blocks)
    {
        Directory.CreateDirectory(walDirectory);
        var next = 0L;
        var accumulator = Accumulator.Genesis;
        var report = WalRecovery.Replay(walDirectory, (in TxLogRecord record, ReadOnlySpan<byte> raw) =>
        {
            var hash = Keccak.Hash(raw);
            accumulator = Accumulator.Next(accumulator, hash);
            if (accumulator != record.Accumulator)
            {
                throw new WalCorruptedException($"write-ahead log: accumulator mismatch at sequence {record.Sequence}");
            }

            if (blocks.Open is { } open && open.Number != record.BlockNumber)
            {
                blocks.Seal();
            }

            if (blocks.Open is null)
            {
                if (record.BlockNumber != blocks.LastSealed.Number + 1 || record.Index != 0)
                {
                    throw new WalCorruptedException(
                        $"write-ahead log: sequence {record.Sequence} is in block {record.BlockNumber} at index {record.Index}, expected block {blocks.LastSealed.Number + 1} at index 0");
                }

                blocks.OpenBlock(record.Timestamp, record.Sequence);
            }

            if (record.Index != blocks.Open!.TransactionCount || record.Timestamp != blocks.Open.Timestamp)
            {
                throw new WalCorruptedException($"write-ahead log: sequence {record.Sequence} does not continue block {record.BlockNumber}");
            }

            var tx = new SequencedTransaction(record.Sequence, hash, raw.ToArray(), record.Sender, record.Nonce, record.GasLimit,
                record.BlockNumber, record.Index, record.Timestamp, accumulator);
            store.AddTransaction(tx);
            blocks.Append(tx);
            nonces.Advance(record.Sender, record.Nonce + 1);
            next = record.Sequence + 1;
        });

        if (blocks.Open is not null)
        {
            blocks.Seal();
        }

        store.MarkDurable(next);
        for (var number = store.LatestBlockNumber + 1; number <= blocks.LastSealed.Number; number++)
        {
            store.PublishBlock(GetUnpublished(store, number));
        }

        return new RecoveredChain(next, accumulator, report);
    }

    private static ChainBlock GetUnpublished(ChainStore store, ulong number)
    {
        // Blocks above the latest published one are reachable only as the pending block.
        var pending = store.PendingBlock;
        if (pending is null || pending.Number != number)
        {
            throw new InvalidOperationException($"block {number} missing during recovery");
        }

        return pending;
    }
}
