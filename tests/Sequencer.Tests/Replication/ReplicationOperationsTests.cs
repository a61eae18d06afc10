using System.Globalization;
using System.Net;
using System.Text.Json;
using Sequencer.Tests.Infrastructure;
using TestInfrastructure;
using TestInfrastructure.Etcd;
using TestInfrastructure.Ethereum;

namespace Sequencer.Tests.Replication;

/// <summary>What an operator sees of a replica set (docs/operations.md): the status, /health/ready and the metrics.</summary>
[Collection(EtcdServerFixture.Collection)]
public sealed class ReplicationOperationsTests(EtcdServerFixture etcd)
{
    [Fact]
    public async Task Status_health_and_metrics_show_roles_acknowledged_heads_lag_and_a_leader_without_quorum()
    {
        await using var set = new ReplicaSet(etcd.Server.ClientUrl);
        await set.StartAsync();
        var leader = await set.LeaderAsync();
        var followers = Enumerable.Range(0, 3).Where(i => i != leader).ToArray();
        var wallet = TestWallet.FromSeed(1251, SequencerHostFixture.ChainId);
        using var rpc = set.Rpc(leader);
        using var http = new HttpClient();
        for (var i = 0; i < 3; i++)
        {
            await rpc.ResultAsync("sequencer_sendRawTransaction", wallet.Sign1559(wallet.TakeNonce()));
        }

        // The leader lists both followers; once both acknowledged, each holds the leader's durable end and lags by nothing.
        var status = await Eventually.UntilAsync(
            () => rpc.ResultAsync("sequencer_getStatus"),
            s => Followers(s).All(f => f.GetProperty("lagRecords").GetInt64() == 0), ReplicaSet.Bound, s => s.GetRawText());
        var replication = status.GetProperty("replication");
        var durableEnd = status.GetProperty("wal").GetProperty("durableSequenceEnd").GetInt64();
        Assert.True(durableEnd >= 3);
        Assert.Equal("leader", replication.GetProperty("role").GetString());
        Assert.Equal(set.Url(leader), replication.GetProperty("leaderUrl").GetString());
        Assert.Equal(set.NodeId(leader), replication.GetProperty("leaderNodeId").GetString());
        Assert.True(replication.GetProperty("electionsSeen").GetInt64() >= 1);
        Assert.Equal(followers.Select(set.NodeId).Order(), Followers(status).Select(f => f.GetProperty("nodeId").GetString()!).Order());
        foreach (var follower in Followers(status))
        {
            Assert.Equal(durableEnd, follower.GetProperty("acknowledgedSequenceEnd").GetInt64());
            Assert.True(follower.GetProperty("lastAckMs").GetDouble() > 0);
            Assert.True(follower.GetProperty("acknowledging").GetBoolean());
        }

        // A follower knows the leader and its epoch, lists no followers, and is ready: it serves reads.
        using (var follower = set.Rpc(followers[0]))
        {
            var seen = (await follower.ResultAsync("sequencer_getStatus")).GetProperty("replication");
            Assert.Equal("follower", seen.GetProperty("role").GetString());
            Assert.Equal(set.Url(leader), seen.GetProperty("leaderUrl").GetString());
            Assert.Equal(replication.GetProperty("epoch").GetString(), seen.GetProperty("epoch").GetString());
            Assert.Equal(0, seen.GetProperty("followers").GetArrayLength());
            Assert.True(seen.GetProperty("electionsSeen").GetInt64() >= 1);
        }

        Assert.Equal((HttpStatusCode.OK, "Healthy"), await ReadyAsync(http, set.Url(followers[0])));
        Assert.Equal((HttpStatusCode.OK, "Healthy"), await ReadyAsync(http, set.Url(leader)));

        // The metrics: the leader's role, both followers at lag 0, ack round trips recorded, the election counted.
        // (The three hosts share this test process, so their series meet in each scrape: the labels tell them apart.)
        var metrics = await ScrapeAsync(http, set.Url(leader));
        Assert.Equal(1, Value(metrics, "replication_role", Node(set, leader)));
        Assert.Equal(0, Value(metrics, "replication_role", Node(set, followers[0])));
        Assert.True(Value(metrics, "replication_elections_total", Node(set, leader)) >= 1);
        foreach (var node in followers)
        {
            var follower = $"follower=\"{set.NodeId(node)}\"";
            Assert.Equal(0, Value(metrics, "replication_follower_lag", follower));
            Assert.True(Value(metrics, "replication_ack_duration_seconds_count", follower) >= 1);
        }

        // Both followers gone: the next write is durable only on the leader. It is refused, the followers show its lag,
        // and the leader reports Degraded (still serving reads) until a quorum acknowledges again.
        await set.StopAsync(followers[0]);
        await set.StopAsync(followers[1]);
        var alone = await rpc.CallAsync("sequencer_sendRawTransaction", wallet.Sign1559(wallet.TakeNonce()));
        Assert.Equal(-32005, alone.ErrorCode);
        await Eventually.UntilAsync(async () => await ReadyAsync(http, set.Url(leader)) == (HttpStatusCode.OK, "Degraded"), ReplicaSet.Bound, "leader Degraded");
        var stalled = await rpc.ResultAsync("sequencer_getStatus");
        foreach (var follower in Followers(stalled))
        {
            Assert.Equal(1, follower.GetProperty("lagRecords").GetInt64());
            Assert.False(follower.GetProperty("acknowledging").GetBoolean());
        }

        await Eventually.UntilAsync(
            async () => Value(await ScrapeAsync(http, set.Url(leader)), "replication_follower_lag", $"follower=\"{set.NodeId(followers[0])}\"") == 1,
            ReplicaSet.Bound, "lag 1 in the metrics");
    }

    private static string Node(ReplicaSet set, int node) => $"node=\"{set.NodeId(node)}\"";

    private static IEnumerable<JsonElement> Followers(JsonElement status) =>
        status.GetProperty("replication").GetProperty("followers").EnumerateArray();

    private static async Task<(HttpStatusCode, string)> ReadyAsync(HttpClient http, string url)
    {
        using var response = await http.GetAsync(new Uri(url + "/health/ready"));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static async Task<string[]> ScrapeAsync(HttpClient http, string url) =>
        (await http.GetStringAsync(new Uri(url + "/metrics"))).Split('\n');

    /// <summary>The value of the one sample named <paramref name="name"/> (with <paramref name="label"/> among its labels, if given).</summary>
    private static double Value(string[] lines, string name, string? label = null)
    {
        var samples = lines.Where(line => (line.StartsWith(name + " ", StringComparison.Ordinal) || line.StartsWith(name + "{", StringComparison.Ordinal))
            && (label is null || line.Contains(label, StringComparison.Ordinal))).ToArray();
        var sample = Assert.Single(samples);
        var afterLabels = sample[(sample.LastIndexOf('}') is var brace and >= 0 ? brace + 1 : name.Length)..];
        return double.Parse(afterLabels.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0], CultureInfo.InvariantCulture);
    }
}
