using Batcher.Pipeline;
using Microsoft.Extensions.DependencyInjection;
using Sequencer.Tests.Infrastructure;
using TestInfrastructure;
using TestInfrastructure.Etcd;
using TestInfrastructure.Ethereum;

namespace Sequencer.Tests.Replication;

/// <summary>The batcher of a replica set runs on the leader only, and on the new leader after a takeover (docs/replication.md).</summary>
[Collection(EtcdServerFixture.Collection)]
public sealed class BatcherOnLeaderTests(EtcdServerFixture etcd)
{
    [Fact]
    public async Task Only_the_leader_batches_and_the_new_leader_takes_over_batching_when_it_goes()
    {
        await using var set = new ReplicaSet(etcd.Server.ClientUrl, "--Sequencer:BlockTimeMs=100");
        await set.StartAsync();
        var first = await set.LeaderAsync();
        await Eventually.UntilAsync(() => OnlyLeaderBatches(set, first), ReplicaSet.Bound, "the leader batching, the followers on standby: " + Phases(set));
        var wallet = TestWallet.FromSeed(1240, SequencerHostFixture.ChainId);
        using (var rpc = set.Rpc(first))
        {
            await rpc.ResultAsync("sequencer_sendRawTransaction", wallet.Sign1559(wallet.TakeNonce()));
        }

        await Eventually.UntilAsync(() => Status(set, first).Snapshot().Batches > 0, ReplicaSet.Bound, "a batch on the first leader");
        for (var node = 0; node < 3; node++)
        {
            if (node != first)
            {
                Assert.Equal(0, Status(set, node).Snapshot().Batches);
            }
        }

        await set.StopAsync(first);
        var second = await set.LeaderAsync();

        await Eventually.UntilAsync(() => OnlyLeaderBatches(set, second), ReplicaSet.Bound, "the new leader batching: " + Phases(set));
    }

    private static BatcherStatus Status(ReplicaSet set, int node) => set.App(node).Services.GetRequiredService<BatcherStatus>();

    private static bool OnlyLeaderBatches(ReplicaSet set, int leader) =>
        Enumerable.Range(0, 3).Where(set.IsRunning).All(node =>
            node == leader ? Status(set, node).Phase is BatcherPhase.Running : Status(set, node).Phase is BatcherPhase.Standby);

    private static string Phases(ReplicaSet set) =>
        string.Join(", ", Enumerable.Range(0, 3).Where(set.IsRunning).Select(node => $"{node}: {Status(set, node).Phase}"));
}
