using Sequencer.Log;
using Sequencer.Replication;

namespace Sequencer.Tests.Replication;

/// <summary>Who counts as recovering for the campaign gate (docs/replication.md, "Who may campaign").</summary>
public sealed class CampaignGateRulesTests
{
    [Fact]
    public void A_node_still_replaying_or_stopping_is_recovering()
    {
        Assert.True(PeerHeadsGate.Recovering(running: false, failure: null));
        Assert.True(PeerHeadsGate.Recovering(running: false, failure: new ReplicationShortfallException("short")));
    }

    [Fact]
    public void A_node_whose_own_log_failed_is_recovering()
    {
        Assert.True(PeerHeadsGate.Recovering(running: true, failure: new IOException("disk full")));
    }

    [Fact]
    public void A_node_unready_only_for_a_shortfall_of_acknowledgements_is_not_recovering_and_may_stand()
    {
        // It holds the highest head when it led last (its unacknowledged tail): the others defer to it, so it must stand.
        Assert.False(PeerHeadsGate.Recovering(running: true, failure: new ReplicationShortfallException("short")));
        Assert.False(PeerHeadsGate.Recovering(running: true, failure: null));
    }
}
