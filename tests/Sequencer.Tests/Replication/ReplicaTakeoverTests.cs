using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Primitives;
using Sequencer.Log;
using Sequencer.Replication;
using Sequencer.Sequencing;
using Sequencer.Tests.Infrastructure;
using TestInfrastructure;
using TestInfrastructure.Etcd;
using TestInfrastructure.Ethereum;

namespace Sequencer.Tests.Replication;

/// <summary>Takeover on a real etcd (docs/replication.md): epochs in the log, and a deposed leader's unacknowledged tail cut.</summary>
[Collection(EtcdServerFixture.Collection)]
public sealed class ReplicaTakeoverTests(EtcdServerFixture etcd)
{
    [Fact]
    public async Task A_deposed_leader_rejoins_with_its_unacknowledged_tail_cut_and_no_sequence_is_signed_for_two_transactions()
    {
        await using var set = new ReplicaSet(etcd.Server.ClientUrl);
        await set.StartAsync();
        var scenario = new DeposedTailScenario(set);

        // The followers elect one of them; it sequences other transactions at the deposed leader's tail sequences.
        var leader = await scenario.DeposeWithUnacknowledgedTailAsync(
            TestWallet.FromSeed(1210, SequencerHostFixture.ChainId), TestWallet.FromSeed(1211, SequencerHostFixture.ChainId));

        // The deposed leader comes back: the new leader's records diverge from its tail, so it stops to cut it at its next start.
        await scenario.RejoinWithTailCutAsync();

        await scenario.AssertEveryReplicaHoldsEveryConfirmationAsync(leader);
    }

    [Fact]
    public async Task A_follower_whose_epoch_file_is_lost_keeps_its_epoch_from_its_log_and_refuses_records_of_an_older_epoch()
    {
        await using var set = new ReplicaSet(etcd.Server.ClientUrl);
        await set.StartAsync();
        var leader = await set.LeaderAsync();
        var follower = (leader + 1) % 3;
        var epoch = set.Leadership(leader).Current.Epoch;
        var wallet = TestWallet.FromSeed(1212, SequencerHostFixture.ChainId);
        using (var rpc = set.Rpc(leader))
        {
            var confirmed = await rpc.ResultAsync("sequencer_sendRawTransaction", wallet.Sign1559(0));
            using var replica = set.Rpc(follower);
            await Eventually.UntilAsync(() => replica.ResultAsync("sequencer_getSoftConfirmation", confirmed.GetProperty("txHash").GetString()),
                found => found.ValueKind != JsonValueKind.Null, ReplicaSet.Bound, _ => "the record on the follower");
        }

        await set.StopAsync(follower);
        File.Delete(Path.Combine(set.DataDirectory(follower), EpochFence.FileName));
        await set.RestartAsync(follower);
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ReplicaSet.Secret);
        var entry = new MemoryStream();
        ReplicationWire.AppendRecord(entry, new TxLogRecord(1, 2, 0, 1_700_000_000, 0, 21_000, new Address(new byte[20]), Hash32.Zero, epoch - 1), [0x02, 0x01]);
        using var content = new ByteArrayContent(ReplicationWire.Group(epoch - 1, 1, [entry.ToArray()]));

        using var response = await http.PostAsync(set.Url(follower) + ReplicaAppendEndpoint.Path, content);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.True(ReplicationWire.TryReadAck(await response.Content.ReadAsByteArrayAsync(), out var ack));
        Assert.Equal(ReplicaAckStatus.StaleEpoch, ack.Status);
        Assert.Equal(epoch, ack.HighestEpoch);

        // A group of the current epoch may not carry a record of an older epoch than the log already holds. The restarted
        // follower learns the current epoch from etcd shortly after its start; until then it answers "not following yet".
        await Eventually.UntilAsync(() => set.Leadership(follower).Current.Epoch == epoch, ReplicaSet.Bound, "the restarted follower to follow epoch " + epoch);
        var next = set.App(follower).Services.GetRequiredService<SequencerCore>().DurableEnd;
        var older = new MemoryStream();
        ReplicationWire.AppendRecord(older, new TxLogRecord(next, 2, 0, 1_700_000_000, 0, 21_000, new Address(new byte[20]), Hash32.Zero, epoch - 1), [0x02, 0x01]);
        using var current = new ByteArrayContent(ReplicationWire.Group(epoch, 1, [older.ToArray()]));

        using var refused = await http.PostAsync(set.Url(follower) + ReplicaAppendEndpoint.Path, current);

        Assert.True(ReplicationWire.TryReadAck(await refused.Content.ReadAsByteArrayAsync(), out var refusal));
        Assert.Equal(ReplicaAckStatus.Refused, refusal.Status);
        Assert.Contains($"below epoch {epoch}", refusal.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_follower_restarted_in_the_middle_of_a_block_takes_the_leaders_next_records_in_that_block()
    {
        // A block stays open on the leader for the whole test: the follower restarts inside it.
        await using var set = new ReplicaSet(etcd.Server.ClientUrl, "--Sequencer:BlockTimeMs=60000");
        await set.StartAsync();
        var leader = await set.LeaderAsync();
        var restarted = (leader + 1) % 3;
        var wallet = TestWallet.FromSeed(1213, SequencerHostFixture.ChainId);
        using var rpc = set.Rpc(leader);
        var first = await rpc.ResultAsync("sequencer_sendRawTransaction", wallet.Sign1559(wallet.TakeNonce()));
        using (var replica = set.Rpc(restarted))
        {
            await Eventually.UntilAsync(() => replica.ResultAsync("sequencer_getSoftConfirmation", first.GetProperty("txHash").GetString()),
                found => found.ValueKind != JsonValueKind.Null, ReplicaSet.Bound, _ => "the first record on the follower");
        }

        await set.StopAsync(restarted);
        var second = await rpc.ResultAsync("sequencer_sendRawTransaction", wallet.Sign1559(wallet.TakeNonce()));
        Assert.Equal(first.GetProperty("blockNumber").GetString(), second.GetProperty("blockNumber").GetString());
        await set.RestartAsync(restarted);

        using var back = set.Rpc(restarted);
        var held = await Eventually.UntilAsync(() => back.ResultAsync("sequencer_getSoftConfirmation", second.GetProperty("txHash").GetString()),
            found => found.ValueKind != JsonValueKind.Null, ReplicaSet.Bound, _ => "the record after the restart on the follower");
        Assert.Equal(second.GetRawText(), held.GetRawText());
    }

    [Fact]
    public async Task An_empty_replica_catches_up_from_the_leaders_log_beyond_what_its_link_holds_in_memory()
    {
        await using var set = new ReplicaSet(etcd.Server.ClientUrl);
        await set.StartAsync();
        var first = await set.LeaderAsync();
        var empty = (first + 1) % 3;
        var wallet = TestWallet.FromSeed(1214, SequencerHostFixture.ChainId);
        var confirmations = new List<JsonElement>();
        using (var rpc = set.Rpc(first))
        {
            for (var i = 0; i < 3; i++)
            {
                confirmations.Add(await rpc.ResultAsync("sequencer_sendRawTransaction", wallet.Sign1559(wallet.TakeNonce())));
            }
        }

        // The replica loses its disk; the leader restarts, so no link holds those records in memory any more.
        await set.StopAsync(empty);
        Directory.Delete(set.DataDirectory(empty), recursive: true);
        await set.StopAsync(first);
        await set.RestartAsync(first);
        var leader = await set.LeaderAsync();
        using (var rpc = set.Rpc(leader))
        {
            confirmations.Add(await rpc.ResultAsync("sequencer_sendRawTransaction", wallet.Sign1559(wallet.TakeNonce())));
        }

        await set.RestartAsync(empty);

        using var replica = set.Rpc(empty);
        foreach (var confirmation in confirmations)
        {
            var held = await Eventually.UntilAsync(() => replica.ResultAsync("sequencer_getSoftConfirmation", confirmation.GetProperty("txHash").GetString()),
                found => found.ValueKind != JsonValueKind.Null, ReplicaSet.Bound, _ => $"{confirmation.GetProperty("txHash")} on the replica that was empty");
            Assert.Equal(confirmation.GetRawText(), held.GetRawText());
        }
    }

    [Fact]
    public async Task A_leader_short_of_acknowledgements_for_a_lease_resigns()
    {
        await using var set = new ReplicaSet(etcd.Server.ClientUrl);
        await set.StartAsync();
        var leader = await set.LeaderAsync();
        var wallet = TestWallet.FromSeed(1215, SequencerHostFixture.ChainId);
        using var rpc = set.Rpc(leader);
        await rpc.ResultAsync("sequencer_sendRawTransaction", wallet.Sign1559(wallet.TakeNonce()));
        await set.StopAsync((leader + 1) % 3);
        await set.StopAsync((leader + 2) % 3);

        var alone = await rpc.CallAsync("sequencer_sendRawTransaction", wallet.Sign1559(wallet.TakeNonce()));
        Assert.Equal("replication", alone.Error!.Value.GetProperty("data").GetProperty("reason").GetString());

        await Eventually.UntilAsync(() => !set.Leadership(leader).IsLeader, ReplicaSet.Bound, "the leader to resign");
        var after = await rpc.CallAsync("sequencer_sendRawTransaction", wallet.Sign1559(wallet.TakeNonce()));
        Assert.Equal(-32005, after.ErrorCode);
        Assert.Equal("not_leader", after.Error!.Value.GetProperty("data").GetProperty("reason").GetString());
    }
}
