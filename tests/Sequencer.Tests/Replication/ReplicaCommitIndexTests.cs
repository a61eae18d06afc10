using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Sequencer.Replication;
using Sequencer.Sequencing;
using Sequencer.Tests.Infrastructure;
using TestInfrastructure;
using TestInfrastructure.Etcd;
using TestInfrastructure.Ethereum;

namespace Sequencer.Tests.Replication;

/// <summary>
/// The commit index (docs/replication.md, "Commit index"): no replica — follower or leader, running or restarted — serves,
/// publishes or signs a record before MinAcks replicas hold it. A record that never reaches MinAcks may be cut at a takeover
/// and its sequence given to another transaction; a signature for it anywhere would be a second signature for that sequence.
/// </summary>
[Collection(EtcdServerFixture.Collection)]
public sealed class ReplicaCommitIndexTests(EtcdServerFixture etcd)
{
    [Fact]
    public async Task A_record_held_by_a_follower_but_not_by_MinAcks_replicas_is_served_and_signed_by_no_replica_until_the_set_commits_it()
    {
        // MinAcks = 3: with one follower down, the other holds every new record but none is committed.
        await using var set = new ReplicaSet(etcd.Server.ClientUrl, "--Sequencer:Replication:MinAcks=3");
        await set.StartAsync();
        var leader = await set.LeaderAsync();
        var holder = (leader + 1) % 3;
        var down = (leader + 2) % 3;
        var wallet = TestWallet.FromSeed(1230, SequencerHostFixture.ChainId);
        using var rpc = set.Rpc(leader);
        var committed = await rpc.ResultAsync("sequencer_sendRawTransaction", wallet.Sign1559(wallet.TakeNonce()));
        await set.StopAsync(down);

        var raw = wallet.Sign1559(wallet.TakeNonce());
        var refused = await rpc.CallAsync("sequencer_sendRawTransaction", raw);
        Assert.Equal(-32005, refused.ErrorCode);
        var hash = HashOf(raw);
        var sequence = Convert.ToInt64(committed.GetProperty("sequence").GetString(), 16) + 1;
        await Eventually.UntilAsync(() => LocalEnd(set, holder) > sequence, ReplicaSet.Bound, "the record durable on the follower");

        // Durable on the leader and on one follower, short of MinAcks: nobody answers anything about it.
        await AssertUnknownAsync(set, leader, hash);
        await AssertUnknownAsync(set, holder, hash);

        // Nor after a restart: a replica publishes nothing past the last commit it knew until a leader tells it more.
        await set.StopAsync(holder);
        await set.RestartAsync(holder);
        await set.LeaderAsync();
        await AssertUnknownAsync(set, holder, hash);
        using (var back = set.Rpc(holder))
        {
            var held = await back.ResultAsync("sequencer_getSoftConfirmation", committed.GetProperty("txHash").GetString());
            Assert.Equal(committed.GetRawText(), held.GetRawText());
        }

        // The third replica returns: the set commits the record, and every replica then serves the same signature.
        await set.RestartAsync(down);
        leader = await set.LeaderAsync();
        using var now = set.Rpc(leader);
        var confirmed = await Eventually.UntilAsync(() => now.CallAsync("sequencer_sendRawTransaction", raw),
            answer => answer.Error is null, ReplicaSet.Bound, answer => "the re-sent transaction confirmed: " + answer.ErrorMessage);
        var confirmation = confirmed.Result;
        Assert.Equal(sequence, Convert.ToInt64(confirmation.GetProperty("sequence").GetString(), 16));
        for (var node = 0; node < 3; node++)
        {
            using var replica = set.Rpc(node);
            var held = await Eventually.UntilAsync(() => replica.ResultAsync("sequencer_getSoftConfirmation", hash),
                found => found.ValueKind != JsonValueKind.Null, ReplicaSet.Bound, _ => $"the committed record on replica {node}");
            Assert.Equal(confirmation.GetRawText(), held.GetRawText());
        }
    }

    private static long LocalEnd(ReplicaSet set, int node) =>
        ((ReplicatedTransactionLog)set.App(node).Services.GetRequiredService<SequencerCore>().Log!).LocalDurableEnd;

    private static string HashOf(string raw) => Primitives.Keccak.Hash(Convert.FromHexString(raw[2..])).ToString();

    private static async Task AssertUnknownAsync(ReplicaSet set, int node, string hash)
    {
        using var replica = set.Rpc(node);
        Assert.Equal(JsonValueKind.Null, (await replica.ResultAsync("sequencer_getSoftConfirmation", hash)).ValueKind);
        Assert.Equal(JsonValueKind.Null, (await replica.ResultAsync("eth_getTransactionByHash", hash)).ValueKind);
        Assert.Equal(JsonValueKind.Null, (await replica.ResultAsync("eth_getTransactionReceipt", hash)).ValueKind);
    }
}
