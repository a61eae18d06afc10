using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Sequencer.Log;
using Sequencer.Replication;
using Sequencer.Sequencing;
using Sequencer.Tests.Infrastructure;
using TestInfrastructure;
using TestInfrastructure.Ethereum;

namespace Sequencer.Tests.Replication;

/// <summary>
/// The steps the takeover tests share: a leader that writes a tail nobody acknowledges and is deposed, the others
/// sequencing past it, its return with the tail cut, and the check that every replica holds every confirmation.
/// </summary>
internal sealed class DeposedTailScenario(ReplicaSet set)
{
    /// <summary>Every confirmation a client received in the scenario.</summary>
    public List<JsonElement> Confirmations { get; } = [];

    public int Deposed { get; private set; } = -1;

    /// <summary>The deposed leader's commit index: its first sequence the set never acknowledged.</summary>
    public long Acknowledged { get; private set; }

    /// <summary>The end of what the deposed leader wrote to its own log.</summary>
    public long Written { get; private set; }

    /// <summary>
    /// The leader confirms three transactions, loses both followers, writes three more that only its disk holds (each
    /// answered -32005), and stops; the followers then restart and elect one of them, which confirms transactions of
    /// <paramref name="other"/> past the deposed leader's end. Returns the new leader.
    /// </summary>
    public async Task<int> DeposeWithUnacknowledgedTailAsync(TestWallet wallet, TestWallet other)
    {
        Deposed = await set.LeaderAsync();
        var followers = Enumerable.Range(0, 3).Where(i => i != Deposed).ToArray();
        using (var rpc = set.Rpc(Deposed))
        {
            for (var i = 0; i < 3; i++)
            {
                Confirmations.Add(await rpc.ResultAsync("sequencer_sendRawTransaction", wallet.Sign1559(wallet.TakeNonce())));
            }

            // Both followers gone: what the leader sequences now is durable on its disk only and never confirmed.
            await set.StopAsync(followers[0]);
            await set.StopAsync(followers[1]);
            var tail = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => wallet.Sign1559(wallet.TakeNonce()))
                .Select(raw => rpc.CallAsync("sequencer_sendRawTransaction", raw)));
            Assert.All(tail, refused => Assert.Equal(-32005, refused.ErrorCode));
        }

        var core = set.App(Deposed).Services.GetRequiredService<SequencerCore>();
        Acknowledged = core.DurableEnd;
        Written = ((ReplicatedTransactionLog)core.Log!).LocalDurableEnd;
        Assert.True(Written > Acknowledged, $"the leader wrote no unacknowledged tail ({Acknowledged}..{Written})");
        await set.StopAsync(Deposed);

        await set.RestartAsync(followers[0]);
        await set.RestartAsync(followers[1]);
        var leader = await set.LeaderAsync();
        using (var rpc = set.Rpc(leader))
        {
            for (var i = 0; i < Written - Acknowledged + 1; i++)
            {
                Confirmations.Add(await rpc.ResultAsync("sequencer_sendRawTransaction", other.Sign1559(other.TakeNonce())));
            }
        }

        return leader;
    }

    /// <summary>
    /// The deposed leader comes back, stops to have its tail cut, and starts again: the cut begins at the first sequence
    /// the set never acknowledged.
    /// </summary>
    public async Task RejoinWithTailCutAsync()
    {
        await set.RestartAsync(Deposed);
        await Eventually.UntilAsync(() => set.IsStopping(Deposed), ReplicaSet.Bound, "the deposed leader to stop for the cut");
        Assert.True(WalTailCut.IsPending(set.DataDirectory(Deposed)));
        await set.StopAsync(Deposed);
        await set.RestartAsync(Deposed);

        var moved = Assert.Single(Directory.GetDirectories(set.DataDirectory(Deposed), "wal-cut-*"));
        Assert.EndsWith("-from-" + Acknowledged, moved, StringComparison.Ordinal);
        Assert.False(WalTailCut.IsPending(set.DataDirectory(Deposed)));
    }

    /// <summary>Every replica: the leader's head, every confirmation any client got, the same one, one transaction per sequence.</summary>
    public async Task AssertEveryReplicaHoldsEveryConfirmationAsync(int leader)
    {
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
            foreach (var confirmation in Confirmations)
            {
                var held = await replica.ResultAsync("sequencer_getSoftConfirmation", confirmation.GetProperty("txHash").GetString());
                Assert.Equal(confirmation.GetRawText(), held.GetRawText());
            }
        }

        Assert.Equal(Confirmations.Count, Confirmations.Select(c => c.GetProperty("sequence").GetString()).Distinct().Count());
    }
}
