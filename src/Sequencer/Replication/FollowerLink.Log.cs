namespace Sequencer.Replication;

/// <summary>What a link to one follower logs (<see cref="FollowerLink"/>).</summary>
internal sealed partial class FollowerLink
{
    [LoggerMessage(EventId = 40, Level = LogLevel.Warning, Message = "Replica {NodeId} unreachable: {Reason}; retrying")]
    private partial void LogUnreachable(string nodeId, string reason);

    [LoggerMessage(EventId = 41, Level = LogLevel.Warning, Message = "Replica {NodeId} refused records ({Status}): {Reason}")]
    private partial void LogRefused(string nodeId, ReplicaAckStatus status, string reason);

    [LoggerMessage(EventId = 43, Level = LogLevel.Information, Message = "Replica {NodeId} acknowledges again (durable end {DurableEnd})")]
    private partial void LogAcknowledging(string nodeId, long durableEnd);

    [LoggerMessage(EventId = 42, Level = LogLevel.Error,
        Message = "Replica {NodeId} is more than {Megabytes} MB behind and this link has no log to catch it up from: the groups held for it were let go")]
    private partial void LogDropped(string nodeId, long megabytes);

    [LoggerMessage(EventId = 44, Level = LogLevel.Warning, Message = "Replica {NodeId} catches up from this node's log from sequence {From} ({Reason})")]
    private partial void LogCatchingUp(string nodeId, long from, string reason);

    [LoggerMessage(EventId = 45, Level = LogLevel.Information, Message = "Replica {NodeId} caught up from the log (at sequence {End}); streaming live")]
    private partial void LogCaughtUp(string nodeId, long end);

    [LoggerMessage(EventId = 46, Level = LogLevel.Error, Message = "Replica {NodeId} cannot catch up from this node's log: {Reason}; retrying")]
    private partial void LogCatchUpFailed(string nodeId, string reason);
}
