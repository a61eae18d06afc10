using Sequencer.Chain;
namespace Sequencer.Sequencing;

/// <summary>Why the core turned a transaction away.</summary>
internal enum SequencingRejection
{
    None = 0,

    /// <summary>A transaction with this nonce (or a later one) from the sender is already sequenced.</summary>
    NonceTooLow,

    /// <summary>The nonce is ahead of the sender's next nonce and the gap did not fill in time (or no room to wait).</summary>
    NonceTooHigh,

    /// <summary>The queue to the single writer stayed full for the configured wait.</summary>
    QueueFull,

    /// <summary>The write-ahead log failed; nothing can be confirmed until an operator intervenes.</summary>
    LogUnavailable,

    /// <summary>The sequencer is starting or stopping.</summary>
    NotRunning,

    /// <summary>This replica does not lead its set (docs/replication.md): writes go to the leader.</summary>
    NotLeader,

    /// <summary>Fewer than MinAcks replicas acknowledged the record in time: it was not confirmed.</summary>
    NotReplicated,
}

/// <summary>The result of sequencing one transaction: the durable transaction, or a rejection with its message.</summary>
internal readonly struct SequencingOutcome
{
    private SequencingOutcome(SequencedTransaction? transaction, SequencingRejection rejection, string? message)
    {
        Transaction = transaction;
        Rejection = rejection;
        Message = message;
    }

    public SequencedTransaction? Transaction { get; }

    public SequencingRejection Rejection { get; }

    public string? Message { get; }

    /// <summary>With <see cref="SequencingRejection.NotLeader"/>: the leader's advertised URL, when one is known.</summary>
    public string? LeaderUrl { get; init; }

    public static SequencingOutcome Confirmed(SequencedTransaction transaction) => new(transaction, SequencingRejection.None, null);

    public static SequencingOutcome Rejected(SequencingRejection rejection, string message) => new(null, rejection, message);
}
