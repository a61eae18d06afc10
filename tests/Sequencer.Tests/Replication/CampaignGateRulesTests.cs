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

    [Fact]
    public void Heads_rank_by_the_epoch_of_their_last_record_then_their_length_then_the_lowest_node_id()
    {
        // A longer tail of an older epoch never outranks a shorter log ending in a newer epoch's records.
        Assert.False(PeerHeadsGate.Outranks(new(LastEpoch: 7, End: 20), "a", own: new(LastEpoch: 9, End: 12), ownId: "b"));
        Assert.True(PeerHeadsGate.Outranks(new(LastEpoch: 9, End: 12), "b", own: new(LastEpoch: 7, End: 20), ownId: "a"));
        Assert.True(PeerHeadsGate.Outranks(new(LastEpoch: 9, End: 13), "c", own: new(LastEpoch: 9, End: 12), ownId: "a"));
        Assert.True(PeerHeadsGate.Outranks(new(LastEpoch: 9, End: 12), "a", own: new(LastEpoch: 9, End: 12), ownId: "b"));
        Assert.False(PeerHeadsGate.Outranks(new(LastEpoch: 9, End: 12), "c", own: new(LastEpoch: 9, End: 12), ownId: "b"));
    }
}
