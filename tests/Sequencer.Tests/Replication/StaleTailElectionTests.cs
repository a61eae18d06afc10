using System.Globalization;
using System.Text.Json;
using Sequencer.Tests.Infrastructure;
using TestInfrastructure;
using TestInfrastructure.Etcd;
using TestInfrastructure.Ethereum;

namespace Sequencer.Tests.Replication;

/// <summary>
/// The campaign gate ranks heads by the epoch of their last record, then their length, as Raft ranks logs by last term then
/// index (docs/replication.md, "Who may campaign"). It ranked them by the epoch a replica had *accepted* (its fence), which
/// a request of no records raises: a deposed leader holding a longer tail of an old epoch, whose fence a newer leader's
/// probe had raised before that leader died, out-ranked the replicas holding the newer leader's confirmed records. It won
/// every election and could commit nothing (they refuse its older records), so the set confirmed nothing, for good.
/// </summary>
[Collection(EtcdServerFixture.Collection)]
public sealed class StaleTailElectionTests(EtcdServerFixture etcd)
{
    [Fact]
    public async Task A_deposed_leader_with_a_longer_tail_of_an_older_epoch_loses_to_the_replicas_holding_a_newer_epochs_confirmed_records()
    {
        await using var set = new ReplicaSet(etcd.Server.ClientUrl);
        await set.StartAsync();
        var stale = await set.LeaderAsync();
        var others = Enumerable.Range(0, 3).Where(i => i != stale).ToArray();
        var wallet = TestWallet.FromSeed(1261, SequencerHostFixture.ChainId);
        var confirmations = new List<JsonElement>();
        using (var rpc = set.Rpc(stale))
        {
            confirmations.Add(await rpc.ResultAsync("sequencer_sendRawTransaction", wallet.Sign1559(wallet.TakeNonce())));

            // Both followers gone: the leader writes a tail of two records nobody acknowledges, then resigns for the shortfall.
            await set.StopAsync(others[0]);
            await set.StopAsync(others[1]);
            for (var i = 0; i < 2; i++)
            {
                Assert.Equal(-32005, (await rpc.CallAsync("sequencer_sendRawTransaction", wallet.Sign1559(wallet.TakeNonce()))).ErrorCode);
            }

            await Eventually.UntilAsync(() => !set.Leadership(stale).IsLeader, ReplicaSet.Bound, "the leader to resign");
        }

        await set.StopAsync(stale);

        // The two others lead a newer epoch without it and confirm a record of that epoch (on both: MinAcks 2).
        await set.RestartAsync(others[0]);
        await set.RestartAsync(others[1]);
        var newer = await set.LeaderAsync();
        var epoch = set.Leadership(newer).Current.Epoch;
        var other = TestWallet.FromSeed(1262, SequencerHostFixture.ChainId);
        using (var rpc = set.Rpc(newer))
        {
            confirmations.Add(await rpc.ResultAsync("sequencer_sendRawTransaction", other.Sign1559(other.TakeNonce())));
        }

        // That leader's probe reached the deposed one (its fence rose to the newer epoch, no records came) before the set
        // stopped: written here as the fence file the probe leaves.
        await set.StopAsync(others[0]);
        await set.StopAsync(others[1]);
        await File.WriteAllTextAsync(Path.Combine(set.DataDirectory(stale), "replication-epoch"), epoch.ToString(CultureInfo.InvariantCulture));

        // The deposed one first, then the others: its head is longer, but its last record is of the older epoch.
        await set.RestartAsync(stale);
        await set.RestartAsync(others[0]);
        await set.RestartAsync(others[1]);
        var leader = await set.LeaderAsync();
        Assert.NotEqual(stale, leader);
        using (var rpc = set.Rpc(leader))
        {
            var third = TestWallet.FromSeed(1263, SequencerHostFixture.ChainId);
            var raw = third.Sign1559(third.TakeNonce());
            var answer = await Eventually.UntilAsync(() => rpc.CallAsync("sequencer_sendRawTransaction", raw),
                response => response.Error is null, ReplicaSet.Bound, response => "a confirmation after the election: " + response.ErrorMessage);
            confirmations.Add(answer.Result);
            foreach (var confirmation in confirmations.Take(2))
            {
                var held = await rpc.ResultAsync("sequencer_getSoftConfirmation", confirmation.GetProperty("txHash").GetString());
                Assert.Equal(confirmation.GetRawText(), held.GetRawText());
            }
        }

        Assert.Equal(confirmations.Count, confirmations.Select(c => c.GetProperty("sequence").GetString()).Distinct().Count());
    }
}
