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
/// A leader that resigned short of acknowledgements holds the highest head of its set (docs/replication.md, "Who may
/// campaign"): the bench's failover run (seed 63405) found the set without a leader for good, because that node never
/// campaigned (its shortfall counted as "recovering") while the others deferred to its head.
/// </summary>
[Collection(EtcdServerFixture.Collection)]
public sealed class ShortfallRejoinTests(EtcdServerFixture etcd)
{
    [Fact]
    public async Task A_leader_that_resigned_short_of_acknowledgements_leads_again_once_its_followers_are_back_and_nothing_is_signed_twice()
    {
        await using var set = new ReplicaSet(etcd.Server.ClientUrl);
        var (_, confirmations, tail) = await ResignWithAnUnacknowledgedTailAsync(set, walletSeed: 1216);

        // The followers are back: its head is higher than theirs, so someone must lead (it, by the gate) and confirm again.
        var leader = await set.LeaderAsync();
        var other = TestWallet.FromSeed(1217, SequencerHostFixture.ChainId);
        using (var rpc = set.Rpc(leader))
        {
            // A write of the new term, then the tail (docs/replication.md, "Commit index").
            // Until the followers are counted again the leader answers -32005 with a time to retry; the same bytes again
            // are the same transaction, confirmed once.
            var first = other.Sign1559(other.TakeNonce());
            var written = await Eventually.UntilAsync(() => rpc.CallAsync("sequencer_sendRawTransaction", first),
                response => response.Error is null, ReplicaSet.Bound, response => "the new term's first write to be confirmed: " + response.ErrorMessage);
            confirmations.Add(written.Result);
            foreach (var raw in tail)
            {
                // Sent again: confirmed now, at the sequence it was given if the new leader holds it, never at two.
                var answer = await Eventually.UntilAsync(() => rpc.CallAsync("sequencer_sendRawTransaction", raw),
                    response => response.Error is null, ReplicaSet.Bound, response => "the tail re-sent to be confirmed: " + response.ErrorMessage);
                confirmations.Add(answer.Result);
            }
        }

        for (var node = 0; node < 3; node++)
        {
            using var replica = set.Rpc(node);
            foreach (var confirmation in confirmations)
            {
                var held = await Eventually.UntilAsync(() => replica.ResultAsync("sequencer_getSoftConfirmation", confirmation.GetProperty("txHash").GetString()),
                    found => found.ValueKind != JsonValueKind.Null, ReplicaSet.Bound, _ => $"{confirmation.GetProperty("txHash")} on replica {node}");
                Assert.Equal(confirmation.GetRawText(), held.GetRawText());
            }
        }

        Assert.Equal(confirmations.Count, confirmations.Select(c => c.GetProperty("sequence").GetString()).Distinct().Count());
    }

    /// <summary>
    /// The failover run's stall (load 12-41): a leader lost its lease holding the transaction every client was waiting
    /// on, won again, caught its followers up, and confirmed nothing for 60 s. Each client re-sends the same bytes until
    /// confirmed, so none sent anything new, and the inherited tail was committed only with the new term's first group.
    /// </summary>
    [Fact]
    public async Task A_leader_that_wins_again_confirms_its_unacknowledged_tail_when_it_is_only_re_sent_with_no_new_write()
    {
        await using var set = new ReplicaSet(etcd.Server.ClientUrl);
        var (_, confirmations, tail) = await ResignWithAnUnacknowledgedTailAsync(set, walletSeed: 1218);

        // Nothing new: only the tail, sent again, as every client of the failover run did.
        var leader = await set.LeaderAsync();
        using (var rpc = set.Rpc(leader))
        {
            foreach (var raw in tail)
            {
                var answer = await Eventually.UntilAsync(() => rpc.CallAsync("sequencer_sendRawTransaction", raw),
                    response => response.Error is null, ReplicaSet.Bound, response => "the tail re-sent to be confirmed: " + response.ErrorMessage);
                confirmations.Add(answer.Result);
            }
        }

        for (var node = 0; node < 3; node++)
        {
            using var replica = set.Rpc(node);
            foreach (var confirmation in confirmations)
            {
                var held = await Eventually.UntilAsync(() => replica.ResultAsync("sequencer_getSoftConfirmation", confirmation.GetProperty("txHash").GetString()),
                    found => found.ValueKind != JsonValueKind.Null, ReplicaSet.Bound, _ => $"{confirmation.GetProperty("txHash")} on replica {node}");
                Assert.Equal(confirmation.GetRawText(), held.GetRawText());
            }
        }

        Assert.Equal(confirmations.Count, confirmations.Select(c => c.GetProperty("sequence").GetString()).Distinct().Count());
    }

    /// <summary>
    /// One confirmed transaction; then both followers stopped, two more the leader writes and nobody acknowledges (their
    /// callers get -32005), the leader resigns for the shortfall, and the followers come back behind its head.
    /// </summary>
    private static async Task<(int Resigned, List<JsonElement> Confirmations, List<string> Tail)> ResignWithAnUnacknowledgedTailAsync(ReplicaSet set, int walletSeed)
    {
        await set.StartAsync();
        var resigned = await set.LeaderAsync();
        var followers = Enumerable.Range(0, 3).Where(i => i != resigned).ToArray();
        var wallet = TestWallet.FromSeed(walletSeed, SequencerHostFixture.ChainId);
        var confirmations = new List<JsonElement>();
        var tail = new List<string>();
        using (var rpc = set.Rpc(resigned))
        {
            confirmations.Add(await rpc.ResultAsync("sequencer_sendRawTransaction", wallet.Sign1559(wallet.TakeNonce())));

            // Both followers gone: the leader writes a tail nobody acknowledges, then resigns for the shortfall.
            await set.StopAsync(followers[0]);
            await set.StopAsync(followers[1]);
            for (var i = 0; i < 2; i++)
            {
                var raw = wallet.Sign1559(wallet.TakeNonce());
                tail.Add(raw);
                Assert.Equal(-32005, (await rpc.CallAsync("sequencer_sendRawTransaction", raw)).ErrorCode);
            }

            await Eventually.UntilAsync(() => !set.Leadership(resigned).IsLeader, ReplicaSet.Bound, "the leader to resign");
        }

        var core = set.App(resigned).Services.GetRequiredService<SequencerCore>();
        Assert.True(((ReplicatedTransactionLog)core.Log!).LocalDurableEnd > core.DurableEnd, "the leader wrote no unacknowledged tail");
        await set.RestartAsync(followers[0]);
        await set.RestartAsync(followers[1]);
        return (resigned, confirmations, tail);
    }
}
