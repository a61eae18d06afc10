using System.Text.Json;
using TestInfrastructure;
using TestInfrastructure.Ethereum;
using TestInfrastructure.Sequencer;

namespace Acceptance.Replication;

/// <summary>
/// Three sequencer processes: a follower SIGSTOPped while the set confirms is behind when the leader is SIGKILLed; it must
/// not be elected, the up-to-date one must (the op-conductor/Base outage pattern, issue 12). Then a second replica dies:
/// the one left confirms nothing on its own disk.
/// </summary>
[Collection(ReplicaSetFixture.Collection)]
public sealed class LaggingReplicaProcessTests(ReplicaSetFixture fixture)
{
    [Fact]
    public async Task A_follower_paused_while_the_set_confirmed_is_not_elected_the_up_to_date_one_is_and_alone_it_confirms_nothing()
    {
        await using var set = await ReplicaProcessSet.StartAsync(fixture.Etcd.ClientUrls, [.. FailoverTests.FailoverSettings, "--Batcher:Enabled=false"]);
        var leader = await set.LeaderAsync(acknowledged: true);
        var lagging = (leader + 1) % 3;
        var upToDate = (leader + 2) % 3;
        var wallet = TestWallet.FromSeed(130_000, SequencerProcess.ChainId);
        var confirmations = new List<JsonElement>();
        using (var rpc = new RpcTestClient(set.Url(leader)))
        {
            confirmations.Add(await rpc.ResultAsync("sequencer_sendRawTransaction", wallet.Sign1559(wallet.TakeNonce())));

            // The paused follower misses these; the leader and the up-to-date follower make two of three.
            set.Pause(lagging);
            for (var i = 0; i < 5; i++)
            {
                confirmations.Add(await rpc.ResultAsync("sequencer_sendRawTransaction", wallet.Sign1559(wallet.TakeNonce())));
            }
        }

        await set.KillAsync(leader);
        set.Resume(lagging);

        var elected = await set.LeaderAsync();
        Assert.Equal(upToDate, elected);
        var laggingStatus = await Eventually.UntilAsync(() => set.StatusAsync(lagging), s => s is not null, ReplicaProcessSet.Bound, _ => "the lagging replica's status");
        Assert.Equal(0, laggingStatus!.Value.GetProperty("replication").GetProperty("electionsWon").GetInt32());
        using (var rpc = new RpcTestClient(set.Url(elected)))
        {
            confirmations.Add(await rpc.ResultAsync("sequencer_sendRawTransaction", wallet.Sign1559(wallet.TakeNonce())));
        }

        // Both survivors hold every confirmation, the same one: the lagging replica caught up from the new leader.
        foreach (var node in new[] { upToDate, lagging })
        {
            using var replica = new RpcTestClient(set.Url(node));
            foreach (var confirmation in confirmations)
            {
                var hash = confirmation.GetProperty("txHash").GetString();
                var held = await Eventually.UntilAsync(() => replica.ResultAsync("sequencer_getSoftConfirmation", hash),
                    found => found.ValueKind != JsonValueKind.Null, ReplicaProcessSet.Bound, _ => $"confirmation {hash} on n{node}");
                Assert.Equal(confirmation.GetRawText(), held.GetRawText());
            }
        }

        // A second replica dies: the leader alone refuses to confirm on one disk, with the reason.
        await set.KillAsync(lagging);
        using (var rpc = new RpcTestClient(set.Url(elected)))
        {
            var alone = await rpc.CallAsync("sequencer_sendRawTransaction", wallet.Sign1559(wallet.TakeNonce()));
            Assert.Equal(-32005, alone.ErrorCode);
            Assert.Equal("replication", alone.Error!.Value.GetProperty("data").GetProperty("reason").GetString());
            Assert.Contains("fewer than MinAcks = 2", alone.ErrorMessage, StringComparison.Ordinal);
        }
    }
}
