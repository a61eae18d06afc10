using Primitives;

namespace Sequencer.Chain;

/// <summary>A block: open while the core appends to it, then sealed with its hash.</summary>
internal sealed class ChainBlock(ulong number, ulong timestamp, Hash32 parentHash, long firstSequence)
{
    public ulong Number { get; } = number;

    public ulong Timestamp { get; } = timestamp;

    public Hash32 ParentHash { get; } = parentHash;

    public long FirstSequence { get; } = firstSequence;

    /// <summary>Transactions in the block (grows while open; readers see a consistent prefix via the chain store).</summary>
    public int TransactionCount { get; set; }

    /// <summary>Sum of the gas limits of its transactions: the sequencer does not execute, so this bounds gas used.</summary>
    public ulong GasUsed { get; set; }

    public Hash32 Accumulator { get; set; }

    public Hash32 TransactionsHash { get; set; }

    public Hash32 Hash { get; set; }

    public ulong GasLimit { get; set; }

    public bool IsSealed { get; set; }
}
