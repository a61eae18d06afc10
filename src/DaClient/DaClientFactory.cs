using DaClient.Disperser;
using DaClient.Local;
using DaClient.Proxy;
using Grpc.Net.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DaClient;

/// <summary>Builds the configured <see cref="IDaClient"/>; used by DI and by command-line tools (verify).</summary>
public static class DaClientFactory
{
    /// <summary>The local store's directory: absolute as configured, or inside <paramref name="dataDirectory"/>.</summary>
    public static string LocalDirectory(LocalDaOptions options, string dataDirectory)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Path.IsPathRooted(options.Directory) ? options.Directory : Path.Combine(dataDirectory, options.Directory);
    }

    public static LocalDaStore CreateLocal(LocalDaOptions options, string dataDirectory) =>
        new(LocalDirectory(options, dataDirectory), options.Fsync);

    public static EigenDaProxyClient CreateProxy(ProxyDaOptions options, HttpClient http, ILoggerFactory? loggers = null, TimeProvider? time = null) =>
        new(http, options, time, (loggers ?? NullLoggerFactory.Instance).CreateLogger<EigenDaProxyClient>());

    public static EigenDaDisperserClient CreateDisperser(DisperserDaOptions options, ILoggerFactory? loggers = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        loggers ??= NullLoggerFactory.Instance;
        var channelOptions = new GrpcChannelOptions
        {
            MaxSendMessageSize = options.MaxMessageBytes,
            MaxReceiveMessageSize = options.MaxMessageBytes,
            LoggerFactory = loggers,
        };
        var disperser = GrpcChannel.ForAddress(options.Endpoint, channelOptions);
        var relay = GrpcChannel.ForAddress(options.RelayEndpoint, channelOptions);
        return new EigenDaDisperserClient(
            disperser,
            relay,
            options,
            AccountSigner.FromOptions(options),
            CreatePacer(options, time),
            time,
            loggers.CreateLogger<EigenDaDisperserClient>());
    }

    public static ReservationPacer CreatePacer(DisperserDaOptions options, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new ReservationPacer(
            options.ReservedBytesPerSecond,
            options.ReservationBurstBytes,
            TimeSpan.FromMilliseconds(options.MaxPacingWaitMs),
            options.OnDemandEnabled,
            (long)options.MinBillableSymbols * Codec.BlobCodec.SymbolSize,
            time);
    }
}
