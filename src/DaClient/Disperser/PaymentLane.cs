namespace DaClient.Disperser;

/// <summary>How a blob is paid for.</summary>
public enum PaymentLane
{
    /// <summary>Reserved bandwidth (empty cumulative_payment).</summary>
    Reservation,

    /// <summary>Per-blob payment from the on-chain deposit (non-empty cumulative_payment).</summary>
    OnDemand,
}
