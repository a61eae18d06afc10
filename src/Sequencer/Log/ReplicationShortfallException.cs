namespace Sequencer.Log;

/// <summary>
/// A replicating log's failure: fewer than MinAcks replicas (the leader counted) made a group durable within the ack
/// deadline (docs/replication.md). Its records are not confirmed; the callers waiting for them and every new write get
/// -32005 <c>replication</c> until enough replicas acknowledge again.
/// </summary>
internal sealed class ReplicationShortfallException(string message) : Exception(message);
