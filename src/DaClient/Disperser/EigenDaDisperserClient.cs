using System.Numerics;
using DaClient.Disperser.Wire;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DaClient.Disperser;

/// <summary>
/// EigenDA disperser v2 client (<see cref="DisperserTransport"/>) behind the shared counters and failover log of
/// <see cref="InstrumentedDaClient"/>, plus the account's payment state.
/// </summary>
public sealed class EigenDaDisperserClient : InstrumentedDaClient
{
    private readonly DisperserTransport _transport;

    /// <summary>Talks to the disperser on <paramref name="disperserChannel"/> and reads blobs from the relay on <paramref name="relayChannel"/>.</summary>
    public EigenDaDisperserClient(
        ChannelBase disperserChannel,
        ChannelBase relayChannel,
        DisperserDaOptions options,
        AccountSigner signer,
        ReservationPacer pacer,
        TimeProvider? time = null,
        ILogger<EigenDaDisperserClient>? logger = null)
        : this(new Wire.Disperser.DisperserClient(disperserChannel), new Relay.RelayClient(relayChannel), options, signer, pacer, time, logger)
    {
    }

    internal EigenDaDisperserClient(
        Wire.Disperser.DisperserClient disperser,
        Relay.RelayClient relay,
        DisperserDaOptions options,
        AccountSigner signer,
        ReservationPacer pacer,
        TimeProvider? time = null,
        ILogger<EigenDaDisperserClient>? logger = null)
        : this(new DisperserTransport(disperser, relay, options, signer, pacer, time ?? TimeProvider.System, new DaStatsCollector(DaCommitmentKind.DisperserCertificate), (ILogger?)logger ?? NullLogger.Instance), signer, logger)
    {
    }

    private EigenDaDisperserClient(DisperserTransport transport, AccountSigner signer, ILogger? logger)
        : base(transport, transport.Stats, DisperserTransport.Service, logger)
    {
        _transport = transport;
        Account = signer.Address;
    }

    /// <summary>The account that pays and signs (checksummed address).</summary>
    public string Account { get; }

    /// <summary>Starts on-demand accounting from the disperser's record (GetPaymentState is not wired; see docs/da.md).</summary>
    public void SetCumulativePayment(BigInteger wei) => _transport.Ledger.SetCumulativePayment(wei);

    /// <summary>
    /// Asks the disperser for the account's reservation and on-demand record and adopts them:
    /// the pacer switches to the active reservation, the on-demand running total continues from
    /// the disperser's, and the price per symbol follows the payment vault.
    /// </summary>
    public async Task<PaymentState> RefreshPaymentStateAsync(CancellationToken cancellationToken) =>
        (await _transport.RefreshPaymentStateAsync(cancellationToken).ConfigureAwait(false)).Value;
}
