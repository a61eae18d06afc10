namespace Sequencer.Log;

/// <summary>
/// The log the core's single writer appends to: <see cref="WriteAheadLog"/> in the host; an in-memory or failing
/// double in tests of the core. The writer appends and commits; the log reports each new durable end through the
/// callback it was opened with (<see cref="OpenTransactionLog"/>), on a thread of its own.
/// </summary>
internal interface ITransactionLog : IDisposable
{
    /// <summary>Sequence numbers below this are durable.</summary>
    long DurableEndSequence { get; }

    long FsyncCount { get; }

    long BytesWritten { get; }

    TimeSpan LastFsyncDuration { get; }

    /// <summary>The error of the last failed write while its records wait for a retry; null when the log is writable.</summary>
    Exception? Failure { get; }

    string Directory { get; }

    /// <summary>Writer thread only. Records must come in sequence order without gaps.</summary>
    void Append(in TxLogRecord record, ReadOnlySpan<byte> raw);

    /// <summary>
    /// Writer thread only: a record this replica received from its leader (docs/replication.md). Stored like any other;
    /// a replicating log does not wait for other replicas before reporting it durable (the leader did).
    /// </summary>
    void AppendReplica(in TxLogRecord record, ReadOnlySpan<byte> raw) => Append(record, raw);

    /// <summary>
    /// Writer thread only: this replica takes records from another leader now (docs/replication.md, "Takeover"). A
    /// replicating log lets go of the groups it committed while it led: no replica will acknowledge them any more.
    /// </summary>
    void Follow()
    {
    }

    /// <summary>Writer thread only: everything appended so far goes to the next group commit.</summary>
    void Commit();
}

/// <summary>Opens the core's log at <paramref name="nextSequence"/> (where recovery left off).</summary>
/// <param name="directory">The WAL directory inside the data directory.</param>
/// <param name="nextSequence">The sequence of the next record.</param>
/// <param name="onDurable">Called with the new durable end after each group commit.</param>
/// <param name="onFailure">Called once when a write or fsync fails; the records wait for a retry.</param>
/// <param name="onRecovered">Called once a retry succeeded (before <paramref name="onDurable"/>).</param>
internal delegate ITransactionLog OpenTransactionLog(
    string directory, long nextSequence, Action<long> onDurable, Action<Exception> onFailure, Action onRecovered);
