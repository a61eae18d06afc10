using Sequencer.Options;

namespace Sequencer.Replication;

/// <summary>This node's links to every peer of its set (used while it leads), over one shared HTTP connection pool.</summary>
internal sealed class ReplicaLinks : IAsyncDisposable
{
    private readonly SocketsHttpHandler _handler = new()
    {
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
        ConnectTimeout = TimeSpan.FromSeconds(2),
    };

    public ReplicaLinks(ReplicationOptions options, ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger<FollowerLink>();
        var links = new List<FollowerLink>(options.Peers.Count);
        foreach (var peer in options.Peers)
        {
            links.Add(new FollowerLink(peer.NodeId, new Uri(peer.Url), options.SharedSecret ?? "", _handler, logger));
        }

        All = links;
    }

    public IReadOnlyList<FollowerLink> All { get; }

    public async ValueTask DisposeAsync()
    {
        foreach (var link in All)
        {
            await link.DisposeAsync().ConfigureAwait(false);
        }

        _handler.Dispose();
    }
}
