namespace DaClient;

/// <summary>
/// The commitment read from L1 points at nothing valid (eigenda-proxy HTTP 418, a blob whose
/// content does not match its commitment). Derivation drops such a batch.
/// </summary>
public sealed class DaCertificateInvalidException : DaException
{
    public DaCertificateInvalidException(string message, Exception? inner = null) : base(message, inner)
    {
    }
}
