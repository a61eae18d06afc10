namespace Sequencer.Rpc.Dto;

/// <summary>sequencer_getStatus: head, log, queue and the parts around the core.</summary>
public sealed class StatusDto
{
    public required string ChainId { get; init; }

    public required string Sequencer { get; init; }

    public required bool Ready { get; init; }

    public required HeadStatusDto Head { get; init; }

    public required WalStatusDto Wal { get; init; }

    public required QueueStatusDto Queue { get; init; }

    public required FeedStatusDto Feed { get; init; }

    /// <summary>Batcher, DA and L1 state; null when the batcher is off.</summary>
    public Batcher.Pipeline.BatcherStatusSnapshot? Batcher { get; init; }
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
