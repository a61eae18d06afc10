namespace DaClient;

/// <summary>Base of every error a DA client reports.</summary>
public class DaException : Exception
{
    public DaException(string message, Exception? inner = null) : base(message, inner)
    {
    }
}
