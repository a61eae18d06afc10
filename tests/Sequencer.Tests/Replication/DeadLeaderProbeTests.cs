using System.Net;
using System.Net.Sockets;
using dotnet_etcd;
using Etcdserverpb;
using Google.Protobuf;
using Sequencer.Replication;
using TestInfrastructure;
using TestInfrastructure.Etcd;

namespace Sequencer.Tests.Replication;

/// <summary>
/// A follower deposes a leader whose process is gone without waiting for its lease (docs/replication.md, "Deposing a dead
/// leader at once"): the leader's port, once reached, refuses connections, and the follower revokes the lease.
/// </summary>
[Collection(EtcdClusterFixture.Collection)]
public sealed class DeadLeaderProbeTests(EtcdClusterFixture etcd)
{
    // Far above every bound below: a follower that leads within the bound did not wait for this lease to expire.
    private const long DeadLeaderLeaseSeconds = 300;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    private readonly string _prefix = $"/test-{Guid.NewGuid():N}/";

    [Fact]
    public async Task A_follower_revokes_the_lease_of_a_leader_whose_port_refuses_connections_and_takes_over()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        using var admin = new EtcdClient(string.Join(',', etcd.Cluster.ClientUrls));
        var lease = await admin.LeaseGrantAsync(new LeaseGrantRequest { TTL = DeadLeaderLeaseSeconds }, deadline: DateTime.UtcNow.AddSeconds(10));
        await admin.PutAsync(new PutRequest
        {
            Key = ByteString.CopyFromUtf8(_prefix + "leader"),
            Value = ByteString.CopyFrom(new LeaderRecord("gone", $"http://127.0.0.1:{port}").ToUtf8()),
            Lease = lease.ID,
        }, deadline: DateTime.UtcNow.AddSeconds(10));

        await using var follower = new ElectionNode("b", _prefix, etcd.Cluster.ClientUrls);
        await follower.StartAsync();
        await Eventually.UntilAsync(() => follower.State.Current.LeaderNodeId == "gone", Bound, "the follower to follow the leader key");

        // The probe reaches the port once (so refusals count), then the "process" goes: its socket closes.
        using (var accepted = await listener.AcceptTcpClientAsync().WaitAsync(Bound))
        {
        }

        listener.Stop();
        await Eventually.UntilAsync(() => follower.State.IsLeader, Bound, "the follower to take over before the dead leader's lease expires");

        var takeover = follower.State.LastTakeover;
        Assert.NotNull(takeover);
        Assert.NotNull(takeover.LeaderGoneSeenAtMs);
        Assert.NotNull(takeover.LeaseRevokedAtMs);
        Assert.True(takeover.LeaderGoneSeenAtMs <= takeover.LeaseRevokedAtMs && takeover.LeaseRevokedAtMs <= takeover.WonAtMs, takeover.ToString());
    }

    [Fact]
    public async Task Refusals_before_the_port_was_ever_reached_prove_nothing()
    {
        // A leader may win before its own host listens: a port that never answered is not a dead leader.
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var probe = new LeaderPortProbe(new Uri($"http://127.0.0.1:{port}"), epoch: 1, TimeSpan.FromMilliseconds(20), TimeProvider.System);
        using var enough = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => probe.WaitUntilGoneAsync(enough.Token));
    }
}
