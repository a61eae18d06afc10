namespace DaClient;

/// <summary>
/// What went wrong with a DA call, as a value (the way YARP reports a ForwarderError): the batcher decides on
/// the kind of failure without catching exceptions together with transport ones.
/// </summary>
public enum DaError
{
    /// <summary>The DA layer cannot take the batch now: fail over to L1 calldata (<see cref="DaUnavailableException"/>).</summary>
    Unavailable,

    /// <summary>The request itself was refused; retrying it cannot help (<see cref="DaRejectedException"/>).</summary>
    Rejected,

    /// <summary>No data for the commitment (<see cref="DaNotFoundException"/>).</summary>
    NotFound,

    /// <summary>The commitment points at nothing valid (<see cref="DaCertificateInvalidException"/>).</summary>
    CertificateInvalid,

    /// <summary>Commitment bytes that do not follow docs/da.md (<see cref="DaCommitmentFormatException"/>).</summary>
    CommitmentFormat,

    /// <summary>The DA layer answered something that breaks its own protocol (<see cref="DaException"/>).</summary>
    ProtocolViolation,

    /// <summary>
    /// One attempt failed in a way worth retrying (429, 5xx, a timeout, unreachable). Only the retry pipeline sees
    /// it: once retries are exhausted it becomes <see cref="Unavailable"/> with <see cref="DaUnavailableReason.RetriesExhausted"/>.
    /// </summary>
    Transient,
}
