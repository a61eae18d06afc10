namespace Sequencer.Transactions;

/// <summary>
/// The outcome of a check: <see cref="None"/> or a reason with a message for the client.
/// A value, not an exception, because bad transactions are an expected, frequent input.
/// </summary>
public readonly struct TxRejection : IEquatable<TxRejection>
{
    private readonly string? _message;

    public TxRejection(TxRejectionReason reason, string message)
    {
        ArgumentException.ThrowIfNullOrEmpty(message);
        Reason = reason;
        _message = message;
    }

    /// <summary>Not rejected.</summary>
    public static TxRejection None => default;

    public TxRejectionReason Reason { get; }

    /// <summary>What was wrong, with the numbers involved; empty when not rejected.</summary>
    public string Message => _message ?? string.Empty;

    public bool IsRejected => Reason != TxRejectionReason.None;

    public bool Equals(TxRejection other) => Reason == other.Reason && Message == other.Message;

    public override bool Equals(object? obj) => obj is TxRejection other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Reason, Message);

    public static bool operator ==(TxRejection left, TxRejection right) => left.Equals(right);

    public static bool operator !=(TxRejection left, TxRejection right) => !left.Equals(right);

    public override string ToString() => IsRejected ? $"{Reason}: {Message}" : "None";
}
