namespace DaClient;

/// <summary>Why a DA layer asked for failover.</summary>
public enum DaUnavailableReason
{
    /// <summary>The service said so explicitly (eigenda-proxy HTTP 503).</summary>
    FailoverRequested,

    /// <summary>The disperser reported the blob FAILED, UNKNOWN, or certified below the signing threshold.</summary>
    DispersalFailed,

    /// <summary>No certificate within the configured time.</summary>
    CertificationTimeout,

    /// <summary>The reservation refused the blob and on-demand payment is disabled.</summary>
    ReservationRejected,

    /// <summary>Transient errors (429, 5xx, timeouts, unreachable) persisted through every retry.</summary>
    RetriesExhausted,
}
