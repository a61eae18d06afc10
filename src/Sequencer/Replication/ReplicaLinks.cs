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

    /// <param name="options">The set.</param>
    /// <param name="loggers">Where the links log.</param>
    /// <param name="walDirectory">This node's log, which followers further behind than the links hold catch up from.</param>
    /// <param name="localDurableEnd">The end durable in this node's log.</param>
    /// <param name="epoch">This node's epoch while it leads, else null.</param>
    /// <param name="commitPointAt">The commit point ending at an end of this node's chain (<see cref="CommitPoint"/>).</param>
    public ReplicaLinks(ReplicationOptions options, ILoggerFactory loggers, string? walDirectory = null, Func<long>? localDurableEnd = null,
        Func<long?>? epoch = null, Func<long, CommitPoint?>? commitPointAt = null)
    {
        var logger = loggers.CreateLogger<FollowerLink>();
        var links = new List<FollowerLink>(options.Peers.Count);
        foreach (var peer in options.Peers)
        {
            links.Add(new FollowerLink(peer.NodeId, new Uri(peer.Url), options.SharedSecret ?? "", _handler, logger, walDirectory, localDurableEnd, epoch, commitPointAt));
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
