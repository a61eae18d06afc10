namespace Sequencer.Sequencing;

/// <summary>What the core logs (<see cref="SequencerCore"/>).</summary>
internal sealed partial class SequencerCore
{
    [LoggerMessage(EventId = 7, Level = LogLevel.Warning,
        Message = "Cut {Records} records from sequence {From} of the write-ahead log: the replica set never acknowledged them (the leader of epoch {Epoch} holds another history there), so they were never confirmed; kept in {MovedAside}")]
    private partial void LogTailCut(long records, long from, long epoch, string movedAside);

    [LoggerMessage(EventId = 1, Level = LogLevel.Information,
        Message = "Recovered {Records} transactions from {Segments} log segments after the checkpoint at sequence {Checkpoint} in {Milliseconds:F0} ms; head block {Head}; torn tail cut: {TornBytes} bytes; history chunks rebuilt: {Rebuilt}")]
    private partial void LogRecovered(long records, int segments, ulong head, long tornBytes, long checkpoint, int rebuilt, double milliseconds);

    [LoggerMessage(EventId = 5, Level = LogLevel.Warning, Message = "Checkpoint not used, replaying the whole log: {Problem}")]
    private partial void LogCheckpointIgnored(string problem);

    [LoggerMessage(EventId = 2, Level = LogLevel.Critical,
        Message = "Write-ahead log write failed; no transaction is confirmed or taken until a retry of the write succeeds")]
    private partial void LogWalFailed(Exception exception);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Write-ahead log writable again; confirming resumed")]
    private partial void LogWalRecovered();

    [LoggerMessage(EventId = 6, Level = LogLevel.Error, Message = "Not confirming: {Reason}")]
    private partial void LogNotReplicated(string reason);

    [LoggerMessage(EventId = 8, Level = LogLevel.Information,
        Message = "Publishing the log up to sequence {Visible}, the last commit index this replica knew; sequences {Visible} to {Next} wait for the leader's")]
    private partial void LogPublishedUpToCommit(long visible, long next);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "Cut a torn write at the end of the write-ahead log: {Damage}")]
    private partial void LogTornWriteCut(string damage);

    [LoggerMessage(EventId = 9, Level = LogLevel.Error,
        Message = "The writer did not stop within the host's shutdown timeout; transactions it had not made durable were not confirmed")]
    private partial void LogStopTimedOut();

    [LoggerMessage(EventId = 10, Level = LogLevel.Information,
        Message = "Indexed {Records} records at stop; checkpoint at sequence {Checkpoint}: the next start replays from there")]
    private partial void LogIndexedAtStop(long records, long checkpoint);
}
