using System.ComponentModel.DataAnnotations;

namespace DaClient.Disperser;

/// <summary>"Sequencer:Da:Disperser": the EigenDA disperser v2 and a relay to read blobs back.</summary>
public sealed class DisperserDaOptions
{
    /// <summary>gRPC endpoint of the disperser (https for the public networks).</summary>
    [Required]
    public string Endpoint { get; set; } = "https://disperser.eigenda.xyz:443";

    /// <summary>gRPC endpoint of a relay that serves the blobs (used by GET).</summary>
    [Required]
    public string RelayEndpoint { get; set; } = "https://relay.eigenda.xyz:443";

    /// <summary>File holding the payment account's secp256k1 key as hex. Never logged.</summary>
    public string? AccountKeyFile { get; set; }

    /// <summary>The payment account's key as hex, from the environment or a secret store. Never logged.</summary>
    public string? AccountKey { get; set; }

    /// <summary>BlobParams version registered on chain (0 is the only one today).</summary>
    [Range(0, ushort.MaxValue)]
    public int BlobVersion { get; set; }

    /// <summary>
    /// Quorums the blob is dispersed to; empty means 0 (ETH) and 1 (EIGEN). (No default in the
    /// array itself: the configuration binder appends to a pre-filled array.)
    /// </summary>
    public uint[] Quorums { get; set; } = [];

    /// <summary><see cref="Quorums"/> with the default applied.</summary>
    public IReadOnlyList<uint> EffectiveQuorums => Quorums.Length == 0 ? [0u, 1u] : Quorums;

    /// <summary>Each quorum must report at least this signed percentage for the certificate to count.</summary>
    [Range(0, 100)]
    public int RequiredSignedPercentage { get; set; } = 55;

    /// <summary>First delay between GetBlobStatus polls; doubles up to <see cref="StatusPollMaxIntervalMs"/>.</summary>
    [Range(1, 60_000)]
    public int StatusPollIntervalMs { get; set; } = 1_000;

    [Range(1, 60_000)]
    public int StatusPollMaxIntervalMs { get; set; } = 4_000;

    /// <summary>No certificate this long after dispersal → failover.</summary>
    [Range(1, 3_600_000)]
    public int CertifiedTimeoutMs { get; set; } = 30_000;

    /// <summary>Time allowed for one unary RPC.</summary>
    [Range(1, 3_600_000)]
    public int RequestTimeoutMs { get; set; } = 120_000;

    /// <summary>Retries on ResourceExhausted / Unavailable / deadline errors.</summary>
    [Range(0, 100)]
    public int MaxRetries { get; set; } = 3;

    [Range(0, 600_000)]
    public int RetryBaseDelayMs { get; set; } = 1_000;

    [Range(0, 600_000)]
    public int RetryMaxDelayMs { get; set; } = 30_000;

    /// <summary>Reserved bandwidth in bytes/s (symbols/s × 32); 0 = no reservation, every blob is on-demand.</summary>
    [Range(0, long.MaxValue)]
    public long ReservedBytesPerSecond { get; set; }

    /// <summary>Burst the reservation allows (bucket size) in bytes; 0 = one minute of reserved bandwidth.</summary>
    [Range(0, long.MaxValue)]
    public long ReservationBurstBytes { get; set; }

    /// <summary>Longest a blob waits for reserved bandwidth before it goes on-demand (if allowed).</summary>
    [Range(0, 3_600_000)]
    public int MaxPacingWaitMs { get; set; } = 60_000;

    /// <summary>Pay per blob when the reservation is exhausted or refuses the blob.</summary>
    public bool OnDemandEnabled { get; set; }

    /// <summary>On-demand price per 32-byte symbol in wei (PaymentVault pricePerSymbol).</summary>
    [Range(0, long.MaxValue)]
    public long PricePerSymbolWei { get; set; } = 447_000_000;

    /// <summary>Billing minimum per blob in symbols (PaymentVault minNumSymbols).</summary>
    [Range(1, int.MaxValue)]
    public int MinBillableSymbols { get; set; } = 4_096;

    /// <summary>L1 chain id for the dispersal anchor signature; 0 leaves the anchor out (older dispersers).</summary>
    [Range(0, long.MaxValue)]
    public long AnchorChainId { get; set; }

    /// <summary>Disperser id the anchor signature names (0 is EigenDA's own disperser).</summary>
    public uint DisperserId { get; set; }

    /// <summary>
    /// Before the first put, ask the disperser (GetPaymentState) for the reservation, the on-demand
    /// total and the price, and use them instead of the values configured here.
    /// </summary>
    public bool SyncPaymentState { get; set; } = true;

    /// <summary>Check a blob read from the relay against the certificate's KZG commitment (asks the disperser).</summary>
    public bool VerifyBlobOnRead { get; set; } = true;

    /// <summary>Largest gRPC message in either direction; above the 16 MiB blob limit.</summary>
    [Range(1, int.MaxValue)]
    public int MaxMessageBytes { get; set; } = 20 * 1024 * 1024;
}
