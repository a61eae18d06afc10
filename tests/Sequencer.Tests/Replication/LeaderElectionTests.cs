using System.Diagnostics;
using dotnet_etcd;
using Etcdserverpb;
using Sequencer.Replication;
using TestInfrastructure;
using TestInfrastructure.Etcd;
using Xunit.Abstractions;

namespace Sequencer.Tests.Replication;

/// <summary>Leadership against a real three-member etcd (each test under its own key prefix).</summary>
[Collection(EtcdClusterFixture.Collection)]
public sealed class LeaderElectionTests(EtcdClusterFixture etcd, ITestOutputHelper output)
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private readonly string _prefix = $"/test-{Guid.NewGuid():N}/";

    [Fact]
    public async Task One_of_three_candidates_leads_and_the_others_follow_it()
    {
        await using var nodes = await StartNodesAsync(3);

        var leader = await ConvergedLeaderAsync(nodes.All);

        Assert.True(leader.State.Current.Epoch > 0);
        Assert.Single(nodes.All.SelectMany(n => n.EpochsWon));
        Assert.All(nodes.All.Where(n => n != leader), n => Assert.Equal(leader.State.Current.Epoch, n.State.Current.Epoch));
    }

    [Fact]
    public async Task A_resigning_leader_stops_leading_at_once_and_another_leads_with_a_higher_epoch()
    {
        await using var nodes = await StartNodesAsync(3);
        var first = await ConvergedLeaderAsync(nodes.All);
        var firstEpoch = first.State.Current.Epoch;

        await first.Election.ResignAsync();

        Assert.False(first.State.IsLeader);
        Assert.Contains(first.History, s => s.Role == ReplicaRole.Follower && s.Epoch == firstEpoch && s.Reason == "resigned");
        var second = await ConvergedLeaderAsync(nodes.All);
        Assert.NotEqual(first.NodeId, second.NodeId);
        Assert.True(second.State.Current.Epoch > firstEpoch, $"epoch {second.State.Current.Epoch} after {firstEpoch}");
    }

    [Fact]
    public async Task A_revoked_lease_deposes_the_leader_and_another_wins_with_a_higher_epoch()
    {
        await using var nodes = await StartNodesAsync(3);
        using var admin = AdminClient();
        var timings = new List<string>();
        for (var round = 0; round < 3; round++)
        {
            var old = await ConvergedLeaderAsync(nodes.All);
            var oldEpoch = old.State.Current.Epoch;

            var watch = Stopwatch.StartNew();
            await RevokeLeaderLeaseAsync(admin);
            await Eventually.UntilAsync(() => !old.State.IsLeader, Bound, $"{old.NodeId} to notice its lease is gone");
            var deposedAfter = watch.Elapsed;
            var next = await ConvergedLeaderAsync(nodes.All);
            timings.Add($"deposed after {deposedAfter.TotalMilliseconds:0} ms, new leader after {watch.Elapsed.TotalMilliseconds:0} ms");

            Assert.Contains("gone", old.History.Last(s => s.Role == ReplicaRole.Follower && s.Epoch == oldEpoch).Reason, StringComparison.Ordinal);
            Assert.NotEqual(old.NodeId, next.NodeId);
            Assert.True(next.State.Current.Epoch > oldEpoch, $"epoch {next.State.Current.Epoch} after {oldEpoch}");
        }

        output.WriteLine("revoke -> " + string.Join("; ", timings));
    }

    [Fact]
    public async Task A_leader_cut_off_from_etcd_by_a_hung_member_is_deposed_and_a_connected_node_wins_with_a_higher_epoch()
    {
        // Each node talks to one member only, so pausing the leader's member cuts the leader off and nobody else.
        var members = etcd.Cluster.Members;
        await using var nodes = await StartNodesAsync(3, i => [members[i].ClientUrl]);
        var old = await ConvergedLeaderAsync(nodes.All);
        var oldEpoch = old.State.Current.Epoch;
        var hung = members[Array.IndexOf(nodes.All, old)];
        var others = nodes.All.Where(n => n != old).ToArray();

        var watch = Stopwatch.StartNew();
        hung.Pause();
        try
        {
            await Eventually.UntilAsync(() => !old.State.IsLeader, Bound, $"{old.NodeId} to stop leading once its member hangs");
            var deposedAfter = watch.Elapsed;
            var next = await ConvergedLeaderAsync(others);
            output.WriteLine($"paused member {hung.Name}: old leader deposed after {deposedAfter.TotalMilliseconds:0} ms, new leader after {watch.Elapsed.TotalMilliseconds:0} ms");

            Assert.True(next.State.Current.Epoch > oldEpoch, $"epoch {next.State.Current.Epoch} after {oldEpoch}");
            Assert.Contains("keep-alive", old.History.Last(s => s.Role == ReplicaRole.Follower && s.Epoch == oldEpoch).Reason, StringComparison.Ordinal);
        }
        finally
        {
            hung.Resume();
            await etcd.Cluster.WaitUntilHealthyAsync(Bound);
        }

        // Back in touch, the old leader follows the new one.
        await ConvergedLeaderAsync(nodes.All);
        Assert.DoesNotContain(old.EpochsWon, e => e > oldEpoch);
    }

    [Fact]
    public async Task A_candidate_that_is_behind_or_recovering_never_wins_and_campaigns_once_the_gate_opens()
    {
        var behind = new FakeCampaignGate { Behind = true };
        var recovering = new FakeCampaignGate { Recovering = true };
        await using var nodes = await StartNodesAsync(3, gates: [behind, recovering, new FakeCampaignGate()]);
        var (a, b, c) = (nodes.All[0], nodes.All[1], nodes.All[2]);
        using var admin = AdminClient();

        for (var round = 0; round < 3; round++)
        {
            var leader = await ConvergedLeaderAsync(nodes.All);
            Assert.Same(c, leader);
            await RevokeLeaderLeaseAsync(admin);
            await Eventually.UntilAsync(() => !c.State.IsLeader, Bound, "c to lose its lease");
        }

        await c.StopAsync();
        await Eventually.UntilAsync(
            () => a.State.Current.Reason.Contains("not the highest acknowledged", StringComparison.Ordinal)
                && b.State.Current.Reason.Contains("recovering", StringComparison.Ordinal),
            Bound,
            "a and b to say why they do not campaign");
        Assert.Empty(a.EpochsWon);
        Assert.Empty(b.EpochsWon);

        behind.Behind = false;
        var next = await ConvergedLeaderAsync([a, b]);
        Assert.Same(a, next);
        Assert.Empty(b.EpochsWon);
    }

    [Fact]
    public async Task Epochs_strictly_increase_across_resignations_and_lost_leases()
    {
        await using var nodes = await StartNodesAsync(3);
        using var admin = AdminClient();
        var epochs = new List<long>();
        for (var round = 0; round < 6; round++)
        {
            var leader = await ConvergedLeaderAsync(nodes.All);
            epochs.Add(leader.State.Current.Epoch);
            if (round % 2 == 0)
            {
                await leader.Election.ResignAsync();
            }
            else
            {
                await RevokeLeaderLeaseAsync(admin);
            }

            await Eventually.UntilAsync(() => !leader.State.IsLeader, Bound, "the leader to step down");
        }

        epochs.Add((await ConvergedLeaderAsync(nodes.All)).State.Current.Epoch);
        output.WriteLine("epochs: " + string.Join(", ", epochs));
        Assert.All(epochs.Zip(epochs.Skip(1)), pair => Assert.True(pair.Second > pair.First, $"{pair.Second} after {pair.First}"));
        // No two wins ever share an epoch, each node's own wins rise, and every leader seen is one of the wins.
        var won = nodes.All.SelectMany(n => n.EpochsWon).ToArray();
        Assert.Equal(won.Length, won.Distinct().Count());
        Assert.All(nodes.All, n => Assert.Equal(n.EpochsWon.Order(), n.EpochsWon));
        Assert.Subset(won.ToHashSet(), epochs.ToHashSet());
    }

    private EtcdClient AdminClient() => new(string.Join(',', etcd.Cluster.ClientUrls));

    /// <summary>Revokes the lease the leader key is attached to, as etcd does when the leader's keep-alives stop.</summary>
    private async Task RevokeLeaderLeaseAsync(EtcdClient admin)
    {
        var key = await admin.GetAsync(new RangeRequest { Key = Google.Protobuf.ByteString.CopyFromUtf8(_prefix + "leader") }, deadline: DateTime.UtcNow.AddSeconds(10));
        Assert.Single(key.Kvs);
        await admin.LeaseRevokeAsync(new LeaseRevokeRequest { ID = key.Kvs[0].Lease }, deadline: DateTime.UtcNow.AddSeconds(10));
    }

    /// <summary>Waits until exactly one of <paramref name="nodes"/> leads and every other one follows it at its epoch.</summary>
    private static async Task<ElectionNode> ConvergedLeaderAsync(IReadOnlyList<ElectionNode> nodes)
    {
        var leader = await Eventually.UntilAsync(
            () => Task.FromResult(ConvergedLeader(nodes)),
            found => found is not null,
            Bound,
            _ => "one leader that the others follow: " + string.Join("; ", nodes));
        return leader!;
    }

    private static ElectionNode? ConvergedLeader(IReadOnlyList<ElectionNode> nodes)
    {
        var leaders = nodes.Where(n => n.State.IsLeader).ToArray();
        if (leaders.Length != 1)
        {
            return null;
        }

        var leader = leaders[0];
        var epoch = leader.State.Current.Epoch;
        return nodes.All(n => n == leader || n.State.Current is { Role: ReplicaRole.Follower } s && s.LeaderNodeId == leader.NodeId && s.Epoch == epoch)
            ? leader
            : null;
    }

    private async Task<NodeSet> StartNodesAsync(int count, Func<int, IReadOnlyList<string>>? endpoints = null, FakeCampaignGate[]? gates = null)
    {
        var nodes = Enumerable.Range(0, count)
            .Select(i => new ElectionNode($"n{i}", _prefix, endpoints?.Invoke(i) ?? etcd.Cluster.ClientUrls, gates?[i]))
            .ToArray();
        foreach (var node in nodes)
        {
            await node.StartAsync();
        }

        return new NodeSet(nodes);
    }

    private sealed class NodeSet(ElectionNode[] nodes) : IAsyncDisposable
    {
        public ElectionNode[] All => nodes;

        public async ValueTask DisposeAsync()
        {
            foreach (var node in nodes)
            {
                await node.DisposeAsync();
            }
        }
    }
}
