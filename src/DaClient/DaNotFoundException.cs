namespace DaClient;

/// <summary>The DA layer has no data for the commitment (expired, never stored, wrong backend).</summary>
public sealed class DaNotFoundException : DaException
{
    public DaNotFoundException(string message, Exception? inner = null) : base(message, inner)
    {
    }
}
