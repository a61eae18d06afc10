namespace DaClient;

/// <summary>
/// The DA layer refused the request itself (HTTP 400, gRPC InvalidArgument, an oversized batch).
/// Retrying the same request cannot succeed, so it is never retried.
/// </summary>
public sealed class DaRejectedException : DaException
{
    public DaRejectedException(string message, Exception? inner = null) : base(message, inner)
    {
    }
}
