using Sequencer.Log;
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

    private ITransactionLog? _log;

    /// <param name="options">The set.</param>
    /// <param name="loggers">Where the links log.</param>
    /// <param name="walDirectory">This node's log, which followers further behind than the links hold catch up from.</param>
    /// <param name="localDurableEnd">The end durable in this node's log; by default that of the log <see cref="Attach"/> gave.</param>
    /// <param name="epoch">This node's epoch while it leads, else null.</param>
    /// <param name="commitPointAt">The commit point ending at an end of this node's chain (<see cref="CommitPoint"/>).</param>
    public ReplicaLinks(ReplicationOptions options, ILoggerFactory loggers, string? walDirectory = null, Func<long>? localDurableEnd = null,
        Func<long?>? epoch = null, Func<long, CommitPoint?>? commitPointAt = null)
    {
        localDurableEnd ??= () => ReplicationLag.LeaderEnd(Volatile.Read(ref _log));
        var logger = loggers.CreateLogger<FollowerLink>();
        var links = new List<FollowerLink>(options.Peers.Count);
        foreach (var peer in options.Peers)
        {
            links.Add(new FollowerLink(peer.NodeId, new Uri(peer.Url), options.SharedSecret ?? "", _handler, logger, walDirectory, localDurableEnd, epoch, commitPointAt));
        }

        All = links;
    }

    public IReadOnlyList<FollowerLink> All { get; }

    /// <summary>
    /// The log this node writes, once opened. Held here rather than looked up in the container: the links' loops may read
    /// its end while the container disposes them, and the log depends on the links, so it cannot be given to them earlier.
    /// </summary>
    public void Attach(ITransactionLog log) => Volatile.Write(ref _log, log);

    /// <summary>The end durable in the attached log (0 before one is attached).</summary>
    public long LocalDurableEnd => ReplicationLag.LeaderEnd(Volatile.Read(ref _log));

    public async ValueTask DisposeAsync()
    {
        foreach (var link in All)
        {
            await link.DisposeAsync().ConfigureAwait(false);
        }

        _handler.Dispose();
    }
}
