namespace DaClient;

/// <summary>Commitment bytes that do not follow the layout in docs/da.md.</summary>
public sealed class DaCommitmentFormatException : DaException
{
    public DaCommitmentFormatException(string message, Exception? inner = null) : base(message, inner)
    {
    }
}
