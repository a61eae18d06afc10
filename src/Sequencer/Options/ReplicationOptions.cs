using System.ComponentModel.DataAnnotations;

namespace Sequencer.Options;

/// <summary>
/// The "Sequencer:Replication" section (docs/replication.md). Absent: the host is the single-node embedded default and
/// nothing of this is used. Present: the node takes part in leadership elections on etcd.
/// </summary>
public sealed class ReplicationOptions
{
    public const string Section = "Sequencer:Replication";

    /// <summary>This replica's name, unique in the set (letters, digits, '.', '_', '-'; at most 64).</summary>
    [Required]
    public string NodeId { get; set; } = "";

    /// <summary>The URL clients and peers reach this replica's JSON-RPC at; written into the leader key when it leads.</summary>
    [Required]
    public string AdvertisedUrl { get; set; } = "";

    /// <summary>The other replicas of the set (not this one).</summary>
    [Required]
    public List<ReplicaPeer> Peers { get; set; } = [];

    /// <summary>
    /// Replicas (the leader counted) whose fsync a soft confirmation waits for. Null: a majority of the set,
    /// <c>(Peers + 1) / 2 + 1</c>.
    /// </summary>
    public int? MinAcks { get; set; }

    /// <summary>etcd client URLs (http or https), one per member.</summary>
    [Required]
    public List<string> EtcdEndpoints { get; set; } = [];

    /// <summary>Every key this set writes in etcd starts with this; the leader key is <c>{KeyPrefix}leader</c>.</summary>
    [Required]
    public string KeyPrefix { get; set; } = "/rollup-sequencer/";

    /// <summary>
    /// Lease time to live of the leader key (seconds; etcd's own granularity). A dead leader is replaced about this long
    /// after its last keep-alive. etcd raises a TTL below its minimum (about 1.5 × its election timeout: 2 s with etcd's
    /// defaults), and the TTL etcd granted is the one used.
    /// </summary>
    [Range(1, 300)]
    public int LeaseTtlSeconds { get; set; } = 2;

    /// <summary>How often the leader renews its lease. At most a third of the TTL, so that a lost keep-alive can be retried.</summary>
    [Range(50, 100_000)]
    public int KeepAliveIntervalMs { get; set; } = 500;

    /// <summary>Deadline of one request to etcd (grant, campaign, read, revoke).</summary>
    [Range(50, 60_000)]
    public int EtcdTimeoutMs { get; set; } = 1_000;

    /// <summary>
    /// How often a follower checks that its leader's process is still there by connecting to its advertised URL; once that
    /// was reached and then refuses twice in a row (the process died: SIGKILL, a crash), the follower revokes the leader's
    /// lease instead of waiting for it to expire (docs/replication.md, "Deposing a dead leader at once"). 0: off, only the
    /// lease's expiry replaces a dead leader.
    /// </summary>
    [Range(0, 60_000)]
    public int LeaderProbeIntervalMs { get; set; } = 50;

    /// <summary>A follower forwards writes to the leader (true) or answers -32005 not_leader with the leader's URL (false).</summary>
    public bool Forwarding { get; set; } = true;

    /// <summary>
    /// How long a group may wait for MinAcks acknowledgements before its callers (and every new write) get -32005
    /// <c>replication</c>; confirmations resume once acknowledgements catch up.
    /// </summary>
    [Range(50, 60_000)]
    public int AckTimeoutMs { get; set; } = 1_000;

    /// <summary>
    /// The secret replicas of the set present to each other on <c>/replication/append</c> (at least 16 characters; the
    /// same on every replica). Required when the set has peers. From configuration (an environment variable or a secrets
    /// file), never from source; never logged.
    /// </summary>
    public string? SharedSecret { get; set; }

    /// <summary>The effective MinAcks: the configured one, or a majority of the set.</summary>
    public int EffectiveMinAcks => MinAcks ?? (Peers.Count + 1) / 2 + 1;

    /// <summary>The etcd key holding the current leader.</summary>
    public string LeaderKey => KeyPrefix + "leader";
}

/// <summary>Another replica of the set (checked by ReplicationOptionsValidator).</summary>
public sealed class ReplicaPeer
{
    public string NodeId { get; set; } = "";

    public string Url { get; set; } = "";
}
