using Microsoft.Extensions.Logging;

namespace DaClient.Proxy;

/// <summary>
/// REST client of eigenda-proxy (<see cref="ProxyTransport"/>) behind the shared counters and failover log of
/// <see cref="InstrumentedDaClient"/>.
/// </summary>
public sealed class EigenDaProxyClient : InstrumentedDaClient
{
    // The HttpClient's own timeout should be infinite: each attempt has ProxyDaOptions.RequestTimeoutMs.
    public EigenDaProxyClient(HttpClient http, ProxyDaOptions options, TimeProvider? time = null, ILogger<EigenDaProxyClient>? logger = null)
        : this(new DaStatsCollector(DaCommitmentKind.EigenDaProxy), http, options, time, logger)
    {
    }

    private EigenDaProxyClient(DaStatsCollector stats, HttpClient http, ProxyDaOptions options, TimeProvider? time, ILogger? logger)
        : base(new ProxyTransport(http, options, time ?? TimeProvider.System, stats, logger), stats, ProxyTransport.Service, logger)
    {
    }
}
