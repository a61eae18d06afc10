using Primitives;
using Sequencer.Chain;

namespace Sequencer.Replication;

/// <summary>
/// The leader's commit index (docs/replication.md, "Commit index"): every sequence below <paramref name="End"/> is held by
/// MinAcks replicas. The rest is the leader's record at End − 1: its accumulator, which chains the whole prefix, and its
/// place (block, index in the block, block timestamp), which the accumulator does not cover — a transaction re-sent to a
/// new leader can take the same sequence with the same prefix in another block.
/// </summary>
internal readonly record struct CommitPoint(long End, Hash32 Accumulator, ulong BlockNumber = 0, uint Index = 0, ulong Timestamp = 0)
{
    /// <summary>The commit point ending after <paramref name="last"/>.</summary>
    public static CommitPoint After(SequencedTransaction last) => new(last.Sequence + 1, last.Accumulator, last.BlockNumber, last.Index, last.Timestamp);

    /// <summary>True when <paramref name="held"/> (this replica's record at End − 1) is the leader's record there.</summary>
    public bool IsLeadersRecord(SequencedTransaction held) =>
        held.Sequence == End - 1 && held.Accumulator == Accumulator
        && held.BlockNumber == BlockNumber && held.Index == Index && held.Timestamp == Timestamp;
}
