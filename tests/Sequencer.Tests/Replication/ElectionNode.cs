using System.Collections.Concurrent;
using dotnet_etcd;
using Microsoft.Extensions.Logging.Abstractions;
using Sequencer.Options;
using Sequencer.Replication;

namespace Sequencer.Tests.Replication;

/// <summary>A campaign gate a test flips: the real one comes with the replication stream.</summary>
internal sealed class FakeCampaignGate : ICampaignGate
{
    public volatile bool Recovering;
    public volatile bool Behind;

    public bool IsRecovering => Recovering;

    public bool HoldsHighestAcknowledgedHead() => !Behind;
}

/// <summary>One candidate in a test: a real <see cref="LeaderElection"/> with its own etcd client, recording every snapshot it published.</summary>
internal sealed class ElectionNode : IAsyncDisposable
{
    private readonly EtcdClient _client;
    private bool _stopped;

    public ElectionNode(string nodeId, string keyPrefix, IReadOnlyList<string> etcdEndpoints, FakeCampaignGate? gate = null, int leaseTtlSeconds = 3, int keepAliveIntervalMs = 300)
    {
        Options = new ReplicationOptions
        {
            NodeId = nodeId,
            AdvertisedUrl = $"http://{nodeId}.invalid:8545",
            EtcdEndpoints = [.. etcdEndpoints],
            KeyPrefix = keyPrefix,
            LeaseTtlSeconds = leaseTtlSeconds,
            KeepAliveIntervalMs = keepAliveIntervalMs,
            EtcdTimeoutMs = 500,
        };
        Gate = gate ?? new FakeCampaignGate();
        State = new LeadershipState(TimeProvider.System);
        State.Changed += snapshot => History.Enqueue(snapshot);
        _client = EtcdClients.Create(Options);
        Election = new LeaderElection(Options, _client, Gate, State, TimeProvider.System, NullLogger<LeaderElection>.Instance);
    }

    public string NodeId => Options.NodeId;

    public ReplicationOptions Options { get; }

    public FakeCampaignGate Gate { get; }

    public LeadershipState State { get; }

    public LeaderElection Election { get; }

    /// <summary>Every snapshot this node published, in order.</summary>
    public ConcurrentQueue<LeadershipSnapshot> History { get; } = new();

    /// <summary>Epochs this node won with, in order.</summary>
    public IReadOnlyList<long> EpochsWon => History.Where(s => s.Role == ReplicaRole.Leader).Select(s => s.Epoch).ToArray();

    public Task StartAsync() => Election.StartAsync(CancellationToken.None);

    /// <summary>Stops the election (a leader resigns on the way out).</summary>
    public async Task StopAsync()
    {
        if (!_stopped)
        {
            _stopped = true;
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await Election.StopAsync(timeout.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Election.Dispose();
        _client.Dispose();
    }

    public override string ToString() => $"{NodeId}: {State.Current} (IsLeader {State.IsLeader})";
}
