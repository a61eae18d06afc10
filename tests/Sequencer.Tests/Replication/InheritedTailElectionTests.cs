using System.Text.Json;
using Sequencer.Tests.Infrastructure;
using TestInfrastructure;
using TestInfrastructure.Etcd;
using TestInfrastructure.Ethereum;

namespace Sequencer.Tests.Replication;

/// <summary>
/// A re-elected leader confirms the tail it inherited once MinAcks replicas acknowledge all of it in its new term, with no
/// record of that term written (docs/replication.md, "Takeover"). The records keep the epoch they were written in, so the
/// campaign gate, which ranks heads by the epoch of the last record (as Raft ranks logs by last term), would rank a
/// follower holding that confirmed tail by the tail's old epoch — below a deposed leader of an epoch in between that wrote
/// other records at the same sequences and never got them acknowledged. That leader would win and the confirmed tail would
/// be cut: Raft's "figure 8". A replica that takes the tail in the new term therefore records durably that its log is that
/// term's leader's log up to its end, and ranks by that epoch.
/// </summary>
[Collection(EtcdServerFixture.Collection)]
public sealed class InheritedTailElectionTests(EtcdServerFixture etcd)
{
    [Fact]
    public async Task A_tail_confirmed_in_a_later_term_is_not_cut_by_a_deposed_leader_of_an_epoch_in_between()
    {
        await using var set = new ReplicaSet(etcd.Server.ClientUrl);
        await set.StartAsync();
        var first = await set.LeaderAsync();
        var others = Enumerable.Range(0, 3).Where(i => i != first).ToArray();
        var wallet = TestWallet.FromSeed(1271, SequencerHostFixture.ChainId);
        string tail;
        using (var rpc = set.Rpc(first))
        {
            await rpc.ResultAsync("sequencer_sendRawTransaction", wallet.Sign1559(wallet.TakeNonce()));

            // Both followers gone: the first leader writes a record nobody acknowledges (its tail), then resigns.
            await set.StopAsync(others[0]);
            await set.StopAsync(others[1]);
            tail = wallet.Sign1559(wallet.TakeNonce());
            Assert.Equal(-32005, (await rpc.CallAsync("sequencer_sendRawTransaction", tail)).ErrorCode);
            await Eventually.UntilAsync(() => !set.Leadership(first).IsLeader, ReplicaSet.Bound, "the first leader to resign");
        }

        await set.StopAsync(first);

        // The two others elect one of them, which writes another record at the same sequence; nobody acknowledges it.
        await set.RestartAsync(others[0]);
        await set.RestartAsync(others[1]);
        var between = await set.LeaderAsync();
        var behind = others[0] == between ? others[1] : others[0];
        await set.StopAsync(behind);
        var other = TestWallet.FromSeed(1272, SequencerHostFixture.ChainId);
        using (var rpc = set.Rpc(between))
        {
            Assert.Equal(-32005, (await rpc.CallAsync("sequencer_sendRawTransaction", other.Sign1559(other.TakeNonce()))).ErrorCode);
            await Eventually.UntilAsync(() => !set.Leadership(between).IsLeader, ReplicaSet.Bound, "the leader in between to resign");
        }

        await set.StopAsync(between);

        // When it won, that leader re-sent the replica behind its last record, which labels that replica's log as its
        // term's up to there (replication-verified): the replica then outranks the first leader's tail and wins next,
        // cutting it. This test is about the other interleaving, where the re-send had not arrived when the set
        // stopped: without the label the file would not exist.
        File.Delete(Path.Combine(set.DataDirectory(behind), "replication-verified"));

        // The first leader and the replica behind: the first wins (its head is longer) and confirms its tail in its new term,
        // on the client's re-send, with the other's acknowledgement.
        await set.RestartAsync(first);
        await set.RestartAsync(behind);
        Assert.Equal(first, await set.LeaderAsync());
        JsonElement confirmed;
        using (var rpc = set.Rpc(first))
        {
            confirmed = (await Eventually.UntilAsync(() => rpc.CallAsync("sequencer_sendRawTransaction", tail),
                response => response.Error is null, ReplicaSet.Bound, response => "the tail confirmed: " + response.ErrorMessage)).Result;
        }

        // Everyone back after the two that hold the confirmed tail stopped: the leader in between must not win.
        await set.StopAsync(first);
        await set.StopAsync(behind);
        await set.RestartAsync(between);
        await set.RestartAsync(behind);
        await set.RestartAsync(first);
        var leader = await set.LeaderAsync();
        Assert.NotEqual(between, leader);
        using (var rpc = set.Rpc(leader))
        {
            var hash = confirmed.GetProperty("txHash").GetString();
            var held = await Eventually.UntilAsync(() => rpc.CallAsync("sequencer_getSoftConfirmation", hash),
                response => response.Error is null && response.Result.ValueKind == JsonValueKind.Object, ReplicaSet.Bound,
                response => "the confirmed tail on the new leader: " + response.ErrorMessage + (response.Result.ValueKind == JsonValueKind.Undefined ? "" : response.Result.GetRawText()));
            Assert.Equal(confirmed.GetRawText(), held.Result.GetRawText());
        }
    }
}
