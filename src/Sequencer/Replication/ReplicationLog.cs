namespace Sequencer.Replication;

internal static partial class ReplicationLog
{
    [LoggerMessage(EventId = 9001, Level = LogLevel.Information, Message = "Replication: {NodeId} leads with epoch {Epoch} (lease {LeaseId:x}, TTL {TtlSeconds} s)")]
    public static partial void Won(ILogger logger, string nodeId, long epoch, long leaseId, long ttlSeconds);

    [LoggerMessage(EventId = 9002, Level = LogLevel.Warning, Message = "Replication: {NodeId} is no longer leader (epoch {Epoch}): {Reason}")]
    public static partial void Deposed(ILogger logger, string nodeId, long epoch, string reason);

    [LoggerMessage(EventId = 9003, Level = LogLevel.Information, Message = "Replication: {NodeId} resigned the lead (epoch {Epoch})")]
    public static partial void Resigned(ILogger logger, string nodeId, long epoch);

    [LoggerMessage(EventId = 9004, Level = LogLevel.Information, Message = "Replication: leader is {LeaderNodeId} at {LeaderUrl} (epoch {Epoch})")]
    public static partial void Following(ILogger logger, string leaderNodeId, string leaderUrl, long epoch);

    [LoggerMessage(EventId = 9005, Level = LogLevel.Information, Message = "Replication: {NodeId} does not campaign: {Reason}")]
    public static partial void Gated(ILogger logger, string nodeId, string reason);

    [LoggerMessage(EventId = 9006, Level = LogLevel.Warning, Message = "Replication: etcd request failed ({Operation}); retrying")]
    public static partial void EtcdFailed(ILogger logger, string operation, Exception exception);

    [LoggerMessage(EventId = 9007, Level = LogLevel.Warning, Message = "Replication: keep-alive of lease {LeaseId:x} failed; the lease is certain for {RemainingMs} ms more")]
    public static partial void KeepAliveFailed(ILogger logger, long leaseId, long remainingMs, Exception exception);

    [LoggerMessage(EventId = 9008, Level = LogLevel.Warning, Message = "Replication: the leader {LeaderNodeId} at {LeaderUrl} (epoch {Epoch}) refuses connections: its process is gone; revoking its lease {LeaseId:x} instead of waiting for it to expire")]
    public static partial void LeaderGone(ILogger logger, string leaderNodeId, string leaderUrl, long epoch, long leaseId);
}
