using Sequencer.Options;
using Sequencer.Sequencing;

namespace Sequencer.Replication;

/// <summary>
/// The host's gate until the replication stream exists (docs/replication.md, "What is built"). A node never campaigns
/// while its core recovers or its log has failed. Without a stream, nothing is acknowledged by anyone else, so a node can
/// know its head is the highest acknowledged only when it is alone in its set: with peers configured it never campaigns
/// (and says so) rather than let two nodes sequence different histories.
/// </summary>
internal sealed class StandaloneCampaignGate(SequencerCore core, ReplicationOptions options) : ICampaignGate
{
    public bool IsRecovering => !core.IsReady;

    public bool HoldsHighestAcknowledgedHead() => options.Peers.Count == 0;
}
