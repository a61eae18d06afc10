using Primitives;
using Sequencer.Chain;
using Sequencer.History;

namespace Sequencer.Sequencing;

/// <summary>
/// The one place a transaction joins the chain, live (<see cref="SequencingWriter"/>) or replayed from the log
/// (<see cref="ChainRecovery"/>): it takes the next sequence number and the next place in the open block, goes into
/// the chain store (not yet visible) and moves its sender's next nonce. Where blocks open and seal differs between the
/// two (gas and time live, the log's own block numbers in recovery), and so does where the accumulator comes from
/// (computed live, read from the log and checked in recovery); both are the caller's.
/// </summary>
/// <remarks>Writer thread only (recovery runs before the writer starts).</remarks>
internal sealed class ChainAppender(ChainStore store, NonceBook nonces, BlockAssembler blocks)
{
    /// <summary>The sequence the next transaction gets.</summary>
    public long NextSequence { get; private set; }

    /// <summary>The accumulator after the last transaction.</summary>
    public Hash32 Accumulator { get; private set; } = Primitives.Chain.Accumulator.Genesis;

    /// <summary>
    /// The highest epoch of the records replayed from the log or received from a leader (docs/replication.md); 0 for a
    /// single node. Read from other threads (a long: atomic on 64-bit).
    /// </summary>
    public long LastEpoch { get; private set; }

    public ChainStore Store => store;

    /// <summary>A record of <paramref name="epoch"/> joined the chain.</summary>
    public void NoteEpoch(long epoch)
    {
        if (epoch > LastEpoch)
        {
            LastEpoch = epoch;
        }
    }

    public NonceBook Nonces => nonces;

    public BlockAssembler Blocks => blocks;

    /// <summary>Recovery: sequencing continues after <paramref name="nextSequence"/> - 1, whose accumulator is <paramref name="accumulator"/>.</summary>
    public void Resume(long nextSequence, Hash32 accumulator)
    {
        NextSequence = nextSequence;
        Accumulator = accumulator;
    }

    /// <summary>Appends one transaction to the open block (there must be one) with <paramref name="accumulator"/>.</summary>
    public SequencedTransaction Apply(Hash32 hash, byte[] raw, Address sender, ulong nonce, ulong gasLimit, Hash32 accumulator)
    {
        var block = blocks.Open!;
        var tx = new SequencedTransaction(NextSequence, hash, raw, sender, nonce, gasLimit,
            block.Number, (uint)block.TransactionCount, block.Timestamp, accumulator);
        blocks.Append(tx);
        store.AddTransaction(tx);
        nonces.Advance(sender, nonce + 1);
        NextSequence++;
        Accumulator = accumulator;
        return tx;
    }
}
