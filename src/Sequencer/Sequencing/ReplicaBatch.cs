using Sequencer.Log;

namespace Sequencer.Sequencing;

/// <summary>
/// Records a follower received from its leader, on their way to the single writer, which appends them to the chain and
/// the log exactly as the leader wrote them (docs/replication.md). <see cref="Applied"/> completes with null once they
/// are in the log (not yet durable), or with the reason they were refused.
/// </summary>
/// <param name="records">The records, in sequence order.</param>
/// <param name="epoch">The epoch of the leader that sent them (no record may carry a higher one).</param>
internal sealed class ReplicaBatch(IReadOnlyList<(TxLogRecord Record, byte[] Raw)> records, long epoch)
{
    private readonly TaskCompletionSource<string?> _applied = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IReadOnlyList<(TxLogRecord Record, byte[] Raw)> Records { get; } = records;

    /// <summary>One past the last record's sequence.</summary>
    public long End => Records.Count == 0 ? 0 : Records[^1].Record.Sequence + 1;

    public long Epoch { get; } = epoch;

    /// <summary>
    /// Set when refused because this replica's own records diverge from the leader's from this sequence on, after an
    /// identical prefix: they were never acknowledged by the set and are to be cut (<see cref="Log.WalTailCut"/>).
    /// </summary>
    public long? DivergedAt { get; set; }

    /// <summary>
    /// Set when refused because the first record does not follow this replica's log (Raft's failed consistency check):
    /// this replica's record before it, or at it with another prefix, is another history. The leader is to send again
    /// from earlier (<see cref="Replication.ReplicaAckStatus.Mismatch"/>), until a record that differs after an equal
    /// prefix shows where the histories part (<see cref="DivergedAt"/>).
    /// </summary>
    public bool Unmatched { get; set; }

    /// <summary>The first record's sequence (0 when there are none).</summary>
    public long First => Records.Count == 0 ? 0 : Records[0].Record.Sequence;

    public Task<string?> Applied => _applied.Task;

    public void Complete(string? refusal) => _applied.TrySetResult(refusal);
}
