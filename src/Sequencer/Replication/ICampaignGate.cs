namespace Sequencer.Replication;

/// <summary>
/// Says whether this node may stand for leader. The replication stream implements it (docs/replication.md, "Who may
/// campaign"): a node campaigns only when its durable head holds every acknowledged record, and never while it recovers
/// its log or catches up. Asked before every campaign, so a change is seen at the next one.
/// </summary>
public interface ICampaignGate
{
    /// <summary>True while the node replays its log or catches up with the leader: it never campaigns then.</summary>
    bool IsRecovering { get; }

    /// <summary>True when the node's durable head is the highest acknowledged head of the set.</summary>
    bool HoldsHighestAcknowledgedHead();

    /// <summary>The same, for a gate that must ask the other replicas (the election awaits this one).</summary>
    ValueTask<bool> HoldsHighestAcknowledgedHeadAsync(CancellationToken cancellationToken) => new(HoldsHighestAcknowledgedHead());
}
