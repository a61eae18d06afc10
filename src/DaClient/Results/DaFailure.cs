namespace DaClient;

/// <summary>A failed DA call: the kind of failure, a message for people and, where one was behind it, the transport's exception.</summary>
public sealed record DaFailure(DaError Error, string Message, DaUnavailableReason Reason = DaUnavailableReason.FailoverRequested, Exception? Cause = null)
{
    public static DaFailure Unavailable(DaUnavailableReason reason, string message, Exception? cause = null) => new(DaError.Unavailable, message, reason, cause);

    public static DaFailure Rejected(string message, Exception? cause = null) => new(DaError.Rejected, message, Cause: cause);

    public static DaFailure NotFound(string message, Exception? cause = null) => new(DaError.NotFound, message, Cause: cause);

    public static DaFailure CertificateInvalid(string message, Exception? cause = null) => new(DaError.CertificateInvalid, message, Cause: cause);

    public static DaFailure ProtocolViolation(string message) => new(DaError.ProtocolViolation, message);

    public static DaFailure Transient(string message, Exception? cause = null) => new(DaError.Transient, message, Cause: cause);

    /// <summary>The failure a <see cref="DaException"/> reports (for a client that still throws).</summary>
    public static DaFailure Of(DaException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception switch
        {
            DaUnavailableException e => Unavailable(e.Reason, e.Message, e),
            DaRejectedException e => Rejected(e.Message, e),
            DaNotFoundException e => NotFound(e.Message, e),
            DaCertificateInvalidException e => CertificateInvalid(e.Message, e),
            DaCommitmentFormatException e => new DaFailure(DaError.CommitmentFormat, e.Message, Cause: e),
            _ => new DaFailure(DaError.ProtocolViolation, exception.Message, Cause: exception),
        };
    }

    /// <summary>The exception <see cref="IDaClient"/>'s throwing methods report this failure with.</summary>
    public DaException ToException() => Cause is DaException same ? same : Error switch
    {
        DaError.Unavailable or DaError.Transient => new DaUnavailableException(Error == DaError.Transient ? DaUnavailableReason.RetriesExhausted : Reason, Message, Cause),
        DaError.Rejected => new DaRejectedException(Message, Cause),
        DaError.NotFound => new DaNotFoundException(Message, Cause),
        DaError.CertificateInvalid => new DaCertificateInvalidException(Message, Cause),
        DaError.CommitmentFormat => new DaCommitmentFormatException(Message, Cause),
        _ => new DaException(Message, Cause),
    };
}
