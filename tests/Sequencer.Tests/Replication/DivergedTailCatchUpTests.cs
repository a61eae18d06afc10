using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Sequencer.Log;
using Sequencer.Replication;
using Sequencer.Sequencing;
using Sequencer.Tests.Infrastructure;
using TestInfrastructure;
using TestInfrastructure.Etcd;
using TestInfrastructure.Ethereum;

namespace Sequencer.Tests.Replication;

/// <summary>
/// A deposed leader whose unacknowledged tail differs from the new leader's records below the tail's end rejoins
/// (docs/replication.md, "Catch-up"): the leader's catch-up starts at the follower's end, where the follower cannot take
/// the leader's record (its prefix is another history); the follower answers with the end it knows committed, the leader
/// steps back there, and the first record that differs after an equal prefix is the divergence, cut at the next start.
/// Before, a leader holding no group from before the divergence (restarted, or past its link's memory) sent from the
/// follower's end forever ("accumulator mismatch"): the failover run's replica that never rejoined.
/// </summary>
[Collection(EtcdServerFixture.Collection)]
public sealed class DivergedTailCatchUpTests(EtcdServerFixture etcd)
{
    [Fact]
    public async Task A_deposed_leader_whose_tail_diverges_below_its_end_is_cut_back_to_the_divergence_and_rejoins()
    {
        await using var set = new ReplicaSet(etcd.Server.ClientUrl);
        await set.StartAsync();
        var scenario = new DeposedTailScenario(set);

        // The followers elect one of them; it sequences other transactions from the deposed leader's first unacknowledged
        // sequence on, past the deposed leader's end.
        var other = TestWallet.FromSeed(1282, SequencerHostFixture.ChainId);
        var leader = await scenario.DeposeWithUnacknowledgedTailAsync(TestWallet.FromSeed(1281, SequencerHostFixture.ChainId), other);

        // The leader restarts: no link holds a group from before the deposed leader's end any more, so whichever node
        // leads now starts the deposed leader's catch-up at its end, above the divergence.
        await set.StopAsync(leader);
        await set.RestartAsync(leader);
        leader = await set.LeaderAsync();
        using (var rpc = set.Rpc(leader))
        {
            scenario.Confirmations.Add(await rpc.ResultAsync("sequencer_sendRawTransaction", other.Sign1559(other.TakeNonce())));
        }

        // Cut where the histories part (the first sequence the set never acknowledged), not at the deposed leader's end.
        await scenario.RejoinWithTailCutAsync();

        await scenario.AssertEveryReplicaHoldsEveryConfirmationAsync(leader);
    }
}
