namespace Sequencer.Replication;

/// <summary>
/// When each step of this node's last takeover happened (Unix milliseconds, this machine's clock), shown in
/// <c>sequencer_getStatus</c> as <c>replication.lastTakeover</c> so that a failover can be broken down step by step
/// (docs/replication.md, "Where failover time goes"). A step this takeover did not go through is null.
/// </summary>
/// <param name="LeaderGoneSeenAtMs">The old leader's port first refused a connection (<see cref="LeaderPortProbe"/>).</param>
/// <param name="LeaseRevokedAtMs">This node revoked the old leader's lease (after the probe's verdict).</param>
/// <param name="KeyGoneSeenAtMs">This node first read the leader key free.</param>
/// <param name="GatePassedAtMs">The campaign gate let it stand.</param>
/// <param name="WonAtMs">Its create of the leader key succeeded.</param>
public sealed record TakeoverTimeline(long? LeaderGoneSeenAtMs, long? LeaseRevokedAtMs, long? KeyGoneSeenAtMs, long? GatePassedAtMs, long WonAtMs);

/// <summary>The steps of a takeover as they happen (the election's thread only); see <see cref="TakeoverTimeline"/>.</summary>
internal sealed class TakeoverSteps
{
    public long? LeaderGoneSeenAtMs { get; set; }

    public long? LeaseRevokedAtMs { get; set; }

    public long? KeyGoneSeenAtMs { get; set; }

    public long? GatePassedAtMs { get; set; }

    /// <summary>A new leader is followed: the next takeover starts from nothing.</summary>
    public void Reset()
    {
        LeaderGoneSeenAtMs = LeaseRevokedAtMs = KeyGoneSeenAtMs = GatePassedAtMs = null;
    }

    public TakeoverTimeline Won(long atMs) => new(LeaderGoneSeenAtMs, LeaseRevokedAtMs, KeyGoneSeenAtMs, GatePassedAtMs, atMs);
}
