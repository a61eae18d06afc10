using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Primitives;
using Sequencer.Log;
using Sequencer.Replication;
using Sequencer.Tests.Infrastructure;
using TestInfrastructure;
using TestInfrastructure.Etcd;
using TestInfrastructure.Ethereum;

namespace Sequencer.Tests.Replication;

/// <summary>Three replicas on a real etcd: confirmations only on MinAcks disks, on every replica at the same sequence.</summary>
[Collection(EtcdServerFixture.Collection)]
public sealed class ReplicaSetTests(EtcdServerFixture etcd)
{
    [Fact]
    public async Task Confirmations_are_on_every_replica_one_dead_follower_is_tolerated_and_two_stop_confirmations_with_a_reason()
    {
        await using var set = new ReplicaSet(etcd.Server.ClientUrl);
        await set.StartAsync();
        var leader = await set.LeaderAsync();
        var followers = Enumerable.Range(0, 3).Where(i => i != leader).ToArray();
        var wallet = TestWallet.FromSeed(1201, SequencerHostFixture.ChainId);
        using var rpc = set.Rpc(leader);

        var confirmations = new List<JsonElement>();
        for (var i = 0; i < 5; i++)
        {
            confirmations.Add(await rpc.ResultAsync("sequencer_sendRawTransaction", wallet.Sign1559(wallet.TakeNonce())));
        }

        // Every confirmation is on every replica, the same one (sequence, accumulator, signature).
        foreach (var node in followers)
        {
            using var replica = set.Rpc(node);
            foreach (var confirmation in confirmations)
            {
                var hash = confirmation.GetProperty("txHash").GetString();
                var held = await Eventually.UntilAsync(
                    () => replica.ResultAsync("sequencer_getSoftConfirmation", hash),
                    found => found.ValueKind != JsonValueKind.Null, ReplicaSet.Bound, _ => $"confirmation {hash} on replica {node}");
                Assert.Equal(confirmation.GetRawText(), held.GetRawText());
            }
        }

        // A follower takes no writes: -32005 not_leader with the leader's URL.
        using (var follower = set.Rpc(followers[0]))
        {
            var refused = await follower.CallAsync("sequencer_sendRawTransaction", wallet.Sign1559(99));
            Assert.Equal(-32005, refused.ErrorCode);
            var data = refused.Error!.Value.GetProperty("data");
            Assert.Equal("not_leader", data.GetProperty("reason").GetString());
            Assert.Equal(set.Url(leader), data.GetProperty("leaderUrl").GetString());
        }

        // One follower dead: 2 of 3 still confirm.
        await set.StopAsync(followers[0]);
        var afterOne = await rpc.ResultAsync("sequencer_sendRawTransaction", wallet.Sign1559(wallet.TakeNonce()));
        using (var survivor = set.Rpc(followers[1]))
        {
            var held = await Eventually.UntilAsync(() => survivor.ResultAsync("sequencer_getSoftConfirmation", afterOne.GetProperty("txHash").GetString()),
                found => found.ValueKind != JsonValueKind.Null, ReplicaSet.Bound, _ => "the confirmation on the surviving follower");
            Assert.Equal(afterOne.GetRawText(), held.GetRawText());
        }

        // Both followers dead: no confirmation on one disk, a clear -32005 instead.
        await set.StopAsync(followers[1]);
        var alone = await rpc.CallAsync("sequencer_sendRawTransaction", wallet.Sign1559(wallet.TakeNonce()));
        Assert.Equal(-32005, alone.ErrorCode);
        Assert.Equal("replication", alone.Error!.Value.GetProperty("data").GetProperty("reason").GetString());
        Assert.Contains("fewer than MinAcks = 2", alone.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_follower_refuses_records_of_an_older_epoch_and_appends_nothing_of_them()
    {
        await using var set = new ReplicaSet(etcd.Server.ClientUrl);
        await set.StartAsync();
        var leader = await set.LeaderAsync();
        var follower = (leader + 1) % 3;
        var epoch = set.Leadership(leader).Current.Epoch;
        using (var rpc = set.Rpc(leader))
        {
            // The follower accepts the current epoch (and fences at it) with the leader's first group.
            var wallet = TestWallet.FromSeed(1202, SequencerHostFixture.ChainId);
            await rpc.ResultAsync("sequencer_sendRawTransaction", wallet.Sign1559(0));
        }

        using var follows = set.Rpc(follower);
        var before = (await Eventually.UntilAsync(() => follows.ResultAsync("sequencer_getStatus"),
            status => status.GetProperty("head").GetProperty("nextSequence").GetString() == "0x1", ReplicaSet.Bound,
            status => "the first record published on the follower: " + status.GetRawText())).GetProperty("head").GetRawText();
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ReplicaSet.Secret);
        var record = new TxLogRecord(1, 2, 0, 1_700_000_000, 0, 21_000, new Address(new byte[20]), Hash32.Zero);
        var entry = new MemoryStream();
        ReplicationWire.AppendRecord(entry, record, [0x02, 0x01]);
        using var content = new ByteArrayContent(ReplicationWire.Group(epoch - 1, 1, [entry.ToArray()]));

        using var response = await http.PostAsync(set.Url(follower) + ReplicaAppendEndpoint.Path, content);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.True(ReplicationWire.TryReadAck(await response.Content.ReadAsByteArrayAsync(), out var ack));
        Assert.Equal(ReplicaAckStatus.StaleEpoch, ack.Status);
        Assert.Equal(epoch, ack.HighestEpoch);
        Assert.Equal(before, (await follows.ResultAsync("sequencer_getStatus")).GetProperty("head").GetRawText());

        // Without the set's secret nothing is even read.
        using var stranger = new HttpClient();
        using var again = new ByteArrayContent(ReplicationWire.Group(epoch, 1, [entry.ToArray()]));
        Assert.Equal(HttpStatusCode.Unauthorized, (await stranger.PostAsync(set.Url(follower) + ReplicaAppendEndpoint.Path, again)).StatusCode);
    }

    [Fact]
    public async Task A_lagging_replica_is_not_elected_when_the_leader_goes_the_up_to_date_one_is()
    {
        await using var set = new ReplicaSet(etcd.Server.ClientUrl);
        await set.StartAsync();
        var leader = await set.LeaderAsync();
        var lagging = (leader + 1) % 3;
        var upToDate = (leader + 2) % 3;
        var wallet = TestWallet.FromSeed(1204, SequencerHostFixture.ChainId);
        using (var rpc = set.Rpc(leader))
        {
            await rpc.ResultAsync("sequencer_sendRawTransaction", wallet.Sign1559(wallet.TakeNonce()));

            // The lagging replica misses what follows; the up-to-date one acknowledges it.
            await set.StopAsync(lagging);
            for (var i = 0; i < 3; i++)
            {
                await rpc.ResultAsync("sequencer_sendRawTransaction", wallet.Sign1559(wallet.TakeNonce()));
            }
        }

        await set.StopAsync(leader);

        // Alone, the up-to-date replica cannot know that no other holds more: it does not campaign.
        await Eventually.UntilAsync(() => set.Leadership(upToDate).Current.Reason.Contains("not the highest acknowledged", StringComparison.Ordinal),
            ReplicaSet.Bound, "the lone replica to hold back: " + set.Leadership(upToDate).Current);
        Assert.False(set.Leadership(upToDate).IsLeader);

        await set.RestartAsync(lagging);

        var elected = await set.LeaderAsync();

        Assert.Equal(upToDate, elected);
        Assert.Equal(0, set.Leadership(lagging).ElectionsWon);
        Assert.True(set.Leadership(elected).Current.Epoch > 0);
    }
}
