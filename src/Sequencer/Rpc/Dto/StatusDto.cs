namespace Sequencer.Rpc.Dto;

/// <summary>sequencer_getStatus: head, log, queue and the parts around the core.</summary>
public sealed class StatusDto
{
    public required string ChainId { get; init; }

    public required string Sequencer { get; init; }

    public required bool Ready { get; init; }

    public required HeadStatusDto Head { get; init; }

    public required WalStatusDto Wal { get; init; }

    public required HistoryStatusDto History { get; init; }

    public required QueueStatusDto Queue { get; init; }

    public required FeedStatusDto Feed { get; init; }

    /// <summary>Batcher, DA and L1 state; null when the batcher is off.</summary>
    public Batcher.Pipeline.BatcherStatusSnapshot? Batcher { get; init; }

    /// <summary>Leadership of the replica set; left out entirely without a Replication section (docs/replication.md).</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public ReplicationStatusDto? Replication { get; init; }
}

public sealed class ReplicationStatusDto
{
    /// <summary>"leader" or "follower".</summary>
    public required string Role { get; init; }

    /// <summary>Epoch (fencing token) of the leader this node knows of, as a quantity; "0x0" when none is known.</summary>
    public required string Epoch { get; init; }

    public required string? LeaderNodeId { get; init; }

    public required string? LeaderUrl { get; init; }

    /// <summary>Why the role is what it is (e.g. "won the election", "following", "resigned", why the node does not campaign).</summary>
    public required string Reason { get; init; }

    public required long ElectionsWon { get; init; }

    /// <summary>Elections this node has seen since it started: leaders with a higher epoch, its own wins included.</summary>
    public required long ElectionsSeen { get; init; }

    /// <summary>Each follower as this node sees it while it leads; empty on a follower.</summary>
    public required List<FollowerStatusDto> Followers { get; init; }

    /// <summary>When each step of this node's last takeover happened (Unix ms); left out before it first won (docs/replication.md).</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public Replication.TakeoverTimeline? LastTakeover { get; init; }
}

/// <summary>One follower, as its leader sees it (docs/operations.md).</summary>
public sealed class FollowerStatusDto
{
    public required string NodeId { get; init; }

    /// <summary>The follower acknowledged every record below this sequence durable.</summary>
    public required long AcknowledgedSequenceEnd { get; init; }

    /// <summary>Records durable in the leader's own log that the follower has not acknowledged.</summary>
    public required long LagRecords { get; init; }

    /// <summary>Round trip of the last durable acknowledgement, in milliseconds (0 before the first).</summary>
    public required double LastAckMs { get; init; }

    /// <summary>False while the last request to it failed or was refused, or once it was dropped for lagging too far.</summary>
    public required bool Acknowledging { get; init; }
}

public sealed class HeadStatusDto
{
    public required string BlockNumber { get; init; }

    public required string BlockHash { get; init; }

    public required string NextSequence { get; init; }

    public required string Accumulator { get; init; }
}

public sealed class WalStatusDto
{
    public required string Directory { get; init; }

    public required long DurableSequenceEnd { get; init; }

    public required long Fsyncs { get; init; }

    public required long BytesWritten { get; init; }

    public required double LastFsyncMs { get; init; }

    public required bool Fsync { get; init; }

    public string? Failure { get; init; }

    public required long RecoveredRecords { get; init; }

    public required long TornBytesCut { get; init; }
}

/// <summary>What of the history is in memory, and how far the on-disk index and the checkpoint reach.</summary>
public sealed class HistoryStatusDto
{
    public required long TransactionsInMemory { get; init; }

    public required long BlocksInMemory { get; init; }

    public required long BytesInMemory { get; init; }

    public required long MaxTransactions { get; init; }

    public required long MaxBytes { get; init; }

    public required long MaxBlocks { get; init; }

    /// <summary>Sequences below this are indexed on disk.</summary>
    public required long IndexedSequenceEnd { get; init; }

    public required int Chunks { get; init; }

    /// <summary>Where a restart would resume replaying; -1 before the first checkpoint.</summary>
    public required long CheckpointSequence { get; init; }

    /// <summary>History chunks rebuilt from the log (at start, or found damaged since).</summary>
    public required int ChunksRebuilt { get; init; }
}

public sealed class QueueStatusDto
{
    public required int Depth { get; init; }

    public required int Capacity { get; init; }

    public required int NonceHeld { get; init; }
}

public sealed class FeedStatusDto
{
    public required int Connections { get; init; }

    public required int Subscriptions { get; init; }

    public required long Dropped { get; init; }
}
