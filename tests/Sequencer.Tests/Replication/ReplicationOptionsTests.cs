using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Sequencer.Hosting;
using Sequencer.Options;
using Sequencer.Replication;
using Sequencer.Tests.Infrastructure;

namespace Sequencer.Tests.Replication;

public sealed class ReplicationOptionsTests
{
    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 2)]
    [InlineData(2, 2)]
    [InlineData(3, 3)]
    [InlineData(4, 3)]
    public void MinAcks_defaults_to_a_majority_of_the_set_with_the_leader_counted(int peers, int expected)
    {
        var options = Valid();
        options.Peers = [.. Enumerable.Range(0, peers).Select(i => new ReplicaPeer { NodeId = $"p{i}", Url = $"http://p{i}:8545" })];

        Assert.Equal(expected, options.EffectiveMinAcks);
        Assert.True(Validate(options).Succeeded);
    }

    [Fact]
    public void Valid_options_pass()
    {
        Assert.True(Validate(Valid()).Succeeded, Validate(Valid()).FailureMessage);
    }

    [Theory]
    [InlineData("NodeId")]
    [InlineData("AdvertisedUrl")]
    [InlineData("MinAcks")]
    [InlineData("EtcdEndpoints")]
    [InlineData("KeyPrefix")]
    [InlineData("KeepAliveIntervalMs")]
    [InlineData("Peers:0:NodeId")]
    [InlineData("Peers:1:Url")]
    [InlineData("SharedSecret")]
    public void A_bad_setting_is_refused_by_name(string setting)
    {
        var options = Valid();
        options.Peers = [new ReplicaPeer { NodeId = "b", Url = "http://b:8545" }, new ReplicaPeer { NodeId = "c", Url = "http://c:8545" }];
        switch (setting)
        {
            case "NodeId": options.NodeId = "a b"; break;
            case "AdvertisedUrl": options.AdvertisedUrl = "a:8545"; break;
            case "MinAcks": options.MinAcks = 4; break;
            case "EtcdEndpoints": options.EtcdEndpoints = []; break;
            case "KeyPrefix": options.KeyPrefix = " "; break;
            case "KeepAliveIntervalMs": options.KeepAliveIntervalMs = 800; break;
            case "Peers:0:NodeId": options.Peers[0].NodeId = "a"; break;
            case "Peers:1:Url": options.Peers[1].Url = "ftp://c"; break;
            case "SharedSecret": options.SharedSecret = "short"; break;
        }

        var result = Validate(options);

        Assert.True(result.Failed);
        Assert.Contains(ReplicationOptions.Section + ":" + setting, result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_a_replication_section_the_host_has_no_leadership()
    {
        var data = Path.Combine(Path.GetTempPath(), "seq-repl-none-" + Guid.NewGuid().ToString("N"));
        using var app = SequencerApp.Build(["--Urls=http://127.0.0.1:0", $"--Sequencer:DataDirectory={data}", .. SequencerHostFixture.KeySettings]);

        Assert.Null(app.Services.GetService<LeaderElection>());
        Assert.Null(app.Services.GetService<LeadershipState>());
        Assert.DoesNotContain(app.Services.GetServices<IHostedService>(), s => s is LeaderElection);
    }

    [Fact]
    public async Task Without_a_replication_section_the_status_has_no_replication_field()
    {
        var data = Path.Combine(Path.GetTempPath(), "seq-repl-status-" + Guid.NewGuid().ToString("N"));
        await using var app = SequencerApp.Build(["--Urls=http://127.0.0.1:0", $"--Sequencer:DataDirectory={data}", .. SequencerHostFixture.KeySettings, "--Logging:LogLevel:Default=Warning"]);
        await app.StartAsync();
        using var rpc = new TestInfrastructure.Ethereum.RpcTestClient(new Uri($"http://127.0.0.1:{new Uri(app.Urls.First()).Port}/"));

        var status = await rpc.ResultAsync("sequencer_getStatus");

        Assert.False(status.TryGetProperty("replication", out _));
        Assert.True(status.TryGetProperty("head", out _));
        await app.StopAsync();
    }

    [Theory]
    [InlineData("--Sequencer:Replication:NodeId=", "NodeId")]
    [InlineData("--Sequencer:Replication:MinAcks=3", "MinAcks")]
    [InlineData("--Sequencer:Replication:EtcdEndpoints:0=127.0.0.1:2379", "EtcdEndpoints:0")]
    public async Task Host_refuses_a_bad_replication_section_at_start_and_names_the_setting(string bad, string name)
    {
        var data = Path.Combine(Path.GetTempPath(), "seq-repl-opt-" + Guid.NewGuid().ToString("N"));
        string[] section =
        [
            "--Sequencer:Replication:NodeId=a",
            "--Sequencer:Replication:AdvertisedUrl=http://127.0.0.1:8545",
            "--Sequencer:Replication:EtcdEndpoints:0=http://127.0.0.1:2379",
            "--Sequencer:Replication:Peers:0:NodeId=b",
            "--Sequencer:Replication:Peers:0:Url=http://127.0.0.1:8546",
        ];
        var error = await Assert.ThrowsAsync<OptionsValidationException>(async () =>
        {
            await using var app = SequencerApp.Build(["--Urls=http://127.0.0.1:0", $"--Sequencer:DataDirectory={data}", .. SequencerHostFixture.KeySettings, "--Logging:LogLevel:Default=None", .. section, bad]);
            await app.StartAsync();
        });

        Assert.Contains(ReplicationOptions.Section + ":" + name, error.Message, StringComparison.Ordinal);
    }

    private static ReplicationOptions Valid() => new()
    {
        NodeId = "a",
        AdvertisedUrl = "http://a:8545",
        EtcdEndpoints = ["http://127.0.0.1:2379"],
        SharedSecret = "sixteen-or-more-characters",
    };

    private static ValidateOptionsResult Validate(ReplicationOptions options)
    {
        var failures = new[] { new ReplicationOptionsAnnotationsValidator().Validate(null, options), new ReplicationOptionsValidator().Validate(null, options) }
            .Where(r => r.Failed)
            .SelectMany(r => r.Failures ?? [])
            .ToArray();
        return failures.Length == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
