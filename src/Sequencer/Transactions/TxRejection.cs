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

    /// <summary>The reason in snake_case, as metrics tag it (<c>wrong_chain_id</c>); names built once.</summary>
    public string ReasonTag => ReasonTags[(int)Reason];

    private static readonly string[] ReasonTags = BuildReasonTags();

    private static string[] BuildReasonTags()
    {
        var values = Enum.GetValues<TxRejectionReason>();
        var tags = new string[values.Max(v => (int)v) + 1];
        foreach (var value in values)
        {
            tags[(int)value] = System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());
        }

        return tags;
    }

    public bool Equals(TxRejection other) => Reason == other.Reason && Message == other.Message;

    public override bool Equals(object? obj) => obj is TxRejection other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Reason, Message);

    public static bool operator ==(TxRejection left, TxRejection right) => left.Equals(right);

    public static bool operator !=(TxRejection left, TxRejection right) => !left.Equals(right);

    public override string ToString() => IsRejected ? $"{Reason}: {Message}" : "None";
}
