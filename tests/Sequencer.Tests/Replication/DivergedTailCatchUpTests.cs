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
        var deposed = await set.LeaderAsync();
        var followers = Enumerable.Range(0, 3).Where(i => i != deposed).ToArray();
        var wallet = TestWallet.FromSeed(1281, SequencerHostFixture.ChainId);
        var confirmations = new List<JsonElement>();
        using (var rpc = set.Rpc(deposed))
        {
            for (var i = 0; i < 3; i++)
            {
                confirmations.Add(await rpc.ResultAsync("sequencer_sendRawTransaction", wallet.Sign1559(wallet.TakeNonce())));
            }

            // Both followers gone: the leader's next records are durable on its disk only, never acknowledged.
            await set.StopAsync(followers[0]);
            await set.StopAsync(followers[1]);
            var tail = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => wallet.Sign1559(wallet.TakeNonce()))
                .Select(raw => rpc.CallAsync("sequencer_sendRawTransaction", raw)));
            Assert.All(tail, refused => Assert.Equal(-32005, refused.ErrorCode));
        }

        var core = set.App(deposed).Services.GetRequiredService<SequencerCore>();
        var acknowledged = core.DurableEnd;
        var written = ((ReplicatedTransactionLog)core.Log!).LocalDurableEnd;
        Assert.True(written > acknowledged, $"the leader wrote no unacknowledged tail ({acknowledged}..{written})");
        await set.StopAsync(deposed);

        // The followers elect one of them; it sequences other transactions from the deposed leader's first unacknowledged
        // sequence on, past the deposed leader's end.
        await set.RestartAsync(followers[0]);
        await set.RestartAsync(followers[1]);
        var leader = await set.LeaderAsync();
        var other = TestWallet.FromSeed(1282, SequencerHostFixture.ChainId);
        using (var rpc = set.Rpc(leader))
        {
            for (var i = 0; i < written - acknowledged + 1; i++)
            {
                confirmations.Add(await rpc.ResultAsync("sequencer_sendRawTransaction", other.Sign1559(other.TakeNonce())));
            }
        }

        // The leader restarts: no link holds a group from before the deposed leader's end any more, so whichever node
        // leads now starts the deposed leader's catch-up at its end, above the divergence.
        await set.StopAsync(leader);
        await set.RestartAsync(leader);
        leader = await set.LeaderAsync();
        using (var rpc = set.Rpc(leader))
        {
            confirmations.Add(await rpc.ResultAsync("sequencer_sendRawTransaction", other.Sign1559(other.TakeNonce())));
        }

        await set.RestartAsync(deposed);
        await Eventually.UntilAsync(() => set.IsStopping(deposed), ReplicaSet.Bound, "the deposed leader to stop for the cut");
        Assert.True(WalTailCut.IsPending(set.DataDirectory(deposed)));
        await set.StopAsync(deposed);
        await set.RestartAsync(deposed);

        // Cut where the histories part (the first sequence the set never acknowledged), not at the deposed leader's end.
        var moved = Assert.Single(Directory.GetDirectories(set.DataDirectory(deposed), "wal-cut-*"));
        Assert.EndsWith("-from-" + acknowledged, moved, StringComparison.Ordinal);

        using var leaderRpc = set.Rpc(leader);
        var head = (await leaderRpc.ResultAsync("sequencer_getStatus")).GetProperty("head");
        for (var node = 0; node < 3; node++)
        {
            using var replica = set.Rpc(node);
            await Eventually.UntilAsync(
                async () => (await replica.ResultAsync("sequencer_getStatus")).GetProperty("head") is var held
                    && held.GetProperty("nextSequence").GetString() == head.GetProperty("nextSequence").GetString()
                    && held.GetProperty("accumulator").GetString() == head.GetProperty("accumulator").GetString(),
                ReplicaSet.Bound, $"replica {node} at the leader's head");
            foreach (var confirmation in confirmations)
            {
                var held = await replica.ResultAsync("sequencer_getSoftConfirmation", confirmation.GetProperty("txHash").GetString());
                Assert.Equal(confirmation.GetRawText(), held.GetRawText());
            }
        }

        Assert.Equal(confirmations.Count, confirmations.Select(c => c.GetProperty("sequence").GetString()).Distinct().Count());
    }
}
