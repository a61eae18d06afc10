using Sequencer.Options;
using Sequencer.Sequencing;

namespace Sequencer.Replication;

/// <summary>
/// The host's gate (docs/replication.md, "Who may campaign"). A node never campaigns while its core recovers or its log
/// has failed. The rule from published heads is not built: a recovered node may campaign. That is safe but not always
/// live: a winner that is behind cannot confirm anything, because followers that hold more refuse its conflicting records
/// (<see cref="ReplicaApplier"/>) and without their acknowledgements nothing is confirmed.
/// </summary>
internal sealed class StandaloneCampaignGate(SequencerCore core, ReplicationOptions options) : ICampaignGate
{
    public bool IsRecovering => !core.IsReady;

    public bool HoldsHighestAcknowledgedHead() => options.Peers.Count == 0 || core.IsReady;
}
