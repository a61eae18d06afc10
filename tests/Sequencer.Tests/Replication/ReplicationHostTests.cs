using Microsoft.Extensions.DependencyInjection;
using Sequencer.Hosting;
using Sequencer.Replication;
using Sequencer.Tests.Infrastructure;
using TestInfrastructure;
using TestInfrastructure.Etcd;
using TestInfrastructure.Ethereum;

namespace Sequencer.Tests.Replication;

/// <summary>The host with a Replication section, against a real one-member etcd.</summary>
[Collection(EtcdServerFixture.Collection)]
public sealed class ReplicationHostTests(EtcdServerFixture etcd)
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_host_alone_in_its_set_leads_once_recovered_and_hands_over_when_it_stops()
    {
        var prefix = $"/host-{Guid.NewGuid():N}/";
        await using var app = BuildHost("solo", prefix, peers: false);
        await app.StartAsync();
        var state = app.Services.GetRequiredService<LeadershipState>();

        await Eventually.UntilAsync(() => state.IsLeader, Bound, "the host to lead: " + state.Current);
        Assert.True(state.Current.Epoch > 0);
        Assert.Equal("solo", state.Current.LeaderNodeId);
        using (var rpc = RpcClient(app))
        {
            var replication = (await rpc.ResultAsync("sequencer_getStatus")).GetProperty("replication");
            Assert.Equal("leader", replication.GetProperty("role").GetString());
            Assert.Equal("0x" + state.Current.Epoch.ToString("x"), replication.GetProperty("epoch").GetString());
            Assert.Equal("solo", replication.GetProperty("leaderNodeId").GetString());
        }

        await app.StopAsync();

        Assert.False(state.IsLeader);
        Assert.Equal("resigned", state.Current.Reason);
    }

    [Fact]
    public async Task A_host_whose_peers_are_all_down_may_lead_but_confirms_nothing_on_its_own_disk()
    {
        var prefix = $"/host-{Guid.NewGuid():N}/";
        await using var app = BuildHost("a", prefix, peers: true);
        await app.StartAsync();
        var state = app.Services.GetRequiredService<LeadershipState>();
        await Eventually.UntilAsync(() => state.IsLeader, Bound, "the host to lead: " + state.Current);

        using (var rpc = RpcClient(app))
        {
            var wallet = TestWallet.FromSeed(1203, SequencerHostFixture.ChainId);
            var response = await rpc.CallAsync("sequencer_sendRawTransaction", wallet.Sign1559(0));

            Assert.Equal(-32005, response.ErrorCode);
            Assert.Equal("replication", response.Error!.Value.GetProperty("data").GetProperty("reason").GetString());
            Assert.Contains("fewer than MinAcks = 2", response.ErrorMessage, StringComparison.Ordinal);
        }

        await app.StopAsync();
    }

    [Fact]
    public async Task A_follower_link_reads_its_log_end_after_the_host_is_disposed()
    {
        // A link's loop may still take a probe's answer while the container disposes it (seen in CI: the answer read the
        // log's end through the disposed container and threw ObjectDisposedException out of DisposeAsync).
        var prefix = $"/host-{Guid.NewGuid():N}/";
        var app = BuildHost("a", prefix, peers: true);
        await app.StartAsync();
        var state = app.Services.GetRequiredService<LeadershipState>();
        await Eventually.UntilAsync(() => state.IsLeader, Bound, "the host to lead: " + state.Current);
        var link = app.Services.GetRequiredService<ReplicaLinks>().All[0];
        var end = ReplicationLag.LeaderEnd(app.Services.GetRequiredService<Sequencer.Sequencing.SequencerCore>().Log);

        await app.StopAsync();
        await app.DisposeAsync();

        Assert.Equal(end, link.LocalDurableEnd);
    }

    private static RpcTestClient RpcClient(Microsoft.AspNetCore.Builder.WebApplication app) =>
        new(new Uri($"http://127.0.0.1:{new Uri(app.Urls.First()).Port}/"));

    private Microsoft.AspNetCore.Builder.WebApplication BuildHost(string nodeId, string prefix, bool peers)
    {
        var data = Path.Combine(Path.GetTempPath(), "seq-repl-host-" + Guid.NewGuid().ToString("N"));
        string[] settings =
        [
            "--Urls=http://127.0.0.1:0",
            $"--Sequencer:DataDirectory={data}",
            .. SequencerHostFixture.KeySettings,
            "--Logging:LogLevel:Default=Warning",
            $"--Sequencer:Replication:NodeId={nodeId}",
            "--Sequencer:Replication:AdvertisedUrl=http://127.0.0.1:8545",
            $"--Sequencer:Replication:EtcdEndpoints:0={etcd.Server.ClientUrl}",
            $"--Sequencer:Replication:KeyPrefix={prefix}",
            .. peers ? new[] { "--Sequencer:Replication:Peers:0:NodeId=b", $"--Sequencer:Replication:Peers:0:Url=http://127.0.0.1:{TestInfrastructure.Processes.FreePort.Next()}",
                "--Sequencer:Replication:SharedSecret=replication-host-test-secret" } : [],
        ];
        return SequencerApp.Build(settings);
    }
}
