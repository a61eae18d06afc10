namespace DaClient;

/// <summary>
/// The failover signal: the DA layer says it cannot take the batch now (eigenda-proxy HTTP 503,
/// a failed or under-signed dispersal, no certificate in time, an exhausted reservation with
/// on-demand off). The batcher posts the batch as L1 calldata and tries DA again later.
/// </summary>
public sealed class DaUnavailableException : DaException
{
    public DaUnavailableException(DaUnavailableReason reason, string message, Exception? inner = null) : base(message, inner)
    {
        Reason = reason;
    }

    public DaUnavailableReason Reason { get; }
}
