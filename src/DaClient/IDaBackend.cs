namespace DaClient;

/// <summary>
/// The transport side of a remote DA layer, wrapped by <see cref="InstrumentedDaClient"/>: every failure is a
/// <see cref="DaFailure"/> value, so the counters, the failover log and the exceptions of <see cref="IDaClient"/>
/// are written once for every backend.
/// </summary>
public interface IDaBackend
{
    DaCommitmentKind Kind { get; }

    /// <summary>Stores a non-empty batch.</summary>
    ValueTask<DaResult<DaCommitment>> PutAsync(ReadOnlyMemory<byte> batch, CancellationToken cancellationToken);

    /// <summary>Reads a batch by a commitment of this backend's <see cref="Kind"/>.</summary>
    ValueTask<DaResult<ReadOnlyMemory<byte>>> GetAsync(DaCommitment commitment, CancellationToken cancellationToken);

    ValueTask<DaHealth> CheckHealthAsync(CancellationToken cancellationToken);
}
