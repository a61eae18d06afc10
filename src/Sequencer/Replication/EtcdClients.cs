using dotnet_etcd;
using Sequencer.Options;

namespace Sequencer.Replication;

/// <summary>The etcd client of a replica.</summary>
public static class EtcdClients
{
    /// <summary>
    /// A client over every configured endpoint (round robin). HTTP/2 pings every second find a dead connection in about two
    /// seconds instead of the library's minute, and connecting is bounded: a member that hangs costs a timeout, not a stall.
    /// </summary>
    public static EtcdClient Create(ReplicationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var timeout = TimeSpan.FromMilliseconds(options.EtcdTimeoutMs);
        return new EtcdClient(
            string.Join(',', options.EtcdEndpoints),
            configureChannelOptions: channel =>
            {
                channel.HttpHandler?.Dispose();
                channel.HttpHandler = new SocketsHttpHandler
                {
                    ConnectTimeout = timeout,
                    KeepAlivePingDelay = TimeSpan.FromSeconds(1),
                    KeepAlivePingTimeout = TimeSpan.FromSeconds(1),
                    KeepAlivePingPolicy = HttpKeepAlivePingPolicy.Always,
                    EnableMultipleHttp2Connections = true,
                };
            });
    }
}
