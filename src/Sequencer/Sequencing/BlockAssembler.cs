using Primitives;
using Sequencer.Chain;
using Sequencer.History;

namespace Sequencer.Sequencing;

/// <summary>
/// Builds blocks one after another: opens a block on its first transaction, appends, seals.
/// Shared by the live core and by recovery so that a block rebuilt from the log after a crash
/// gets exactly the hash it had (or would have had) before.
/// </summary>
internal sealed class BlockAssembler(ChainStore store, ulong gasLimit)
{
    private readonly List<Hash32> _hashes = new();
    private ChainBlock _lastSealed = store.Genesis;

    public ChainBlock? Open { get; private set; }

    public ChainBlock LastSealed => _lastSealed;

    public ulong GasLimit => gasLimit;

    /// <summary>Recovery from a checkpoint: the next block follows <paramref name="lastSealed"/>.</summary>
    public void Resume(ChainBlock lastSealed) => _lastSealed = lastSealed;

    public bool Fits(ulong gas) => Open is null || Open.GasUsed + gas <= gasLimit;

    /// <summary>Opens the next block. Timestamps never go backwards, whatever the clock does.</summary>
    public ChainBlock OpenBlock(ulong timestamp, long firstSequence)
    {
        var block = new ChainBlock(_lastSealed.Number + 1, Math.Max(timestamp, _lastSealed.Timestamp), _lastSealed.Hash, firstSequence)
        {
            Accumulator = _lastSealed.Accumulator,
            GasLimit = gasLimit,
        };
        store.AddBlock(block);
        Open = block;
        return block;
    }

    public void Append(SequencedTransaction tx)
    {
        var block = Open!;
        _hashes.Add(tx.Hash);
        block.GasUsed += tx.GasLimit;
        block.Accumulator = tx.Accumulator;
        block.TransactionCount++;
    }

    public ChainBlock Seal()
    {
        var block = Open!;
        block.TransactionsHash = BlockHeader.ComputeTransactionsHash(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_hashes));
        block.Hash = BlockHeader.ComputeHash(block);
        block.IsSealed = true;
        _hashes.Clear();
        _lastSealed = block;
        Open = null;
        return block;
    }

    /// <summary>
    /// Seals an empty block after the last sealed one (<see cref="EmptyAfter"/>); no block may be open. The caller
    /// publishes it.
    /// </summary>
    public ChainBlock SealEmpty()
    {
        var block = EmptyAfter(_lastSealed, gasLimit);
        store.AddBlock(block);
        _lastSealed = block;
        return block;
    }

    /// <summary>
    /// The empty block that follows <paramref name="parent"/>: a function of its parent alone (timestamp one second
    /// later, no transactions, the same accumulator), so the log need not store it: a gap in the block numbers of the
    /// log's records is a run of empty blocks, and recovery, followers and the history index rebuild each with the hash
    /// it had (docs/batch-format.md, "Empty blocks").
    /// </summary>
    public static ChainBlock EmptyAfter(ChainBlock parent, ulong gasLimit)
    {
        var block = new ChainBlock(parent.Number + 1, parent.Timestamp + 1, parent.Hash, parent.FirstSequence + parent.TransactionCount)
        {
            Accumulator = parent.Accumulator,
            GasLimit = gasLimit,
            TransactionsHash = BlockHeader.ComputeTransactionsHash([]),
        };
        block.Hash = BlockHeader.ComputeHash(block);
        block.IsSealed = true;
        return block;
    }

    /// <summary>The genesis block: number 0, no transactions, zero accumulator.</summary>
    public static ChainBlock CreateGenesis(ulong timestamp, ulong gasLimit)
    {
        var genesis = new ChainBlock(0, timestamp, Hash32.Zero, 0)
        {
            Accumulator = Hash32.Zero,
            GasLimit = gasLimit,
            TransactionsHash = BlockHeader.ComputeTransactionsHash([]),
        };
        genesis.Hash = BlockHeader.ComputeHash(genesis);
        genesis.IsSealed = true;
        return genesis;
    }
}
