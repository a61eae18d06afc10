namespace DaClient;

/// <summary>
/// A DA layer: stores a batch and returns the commitment that goes on L1, and reads a batch back
/// by that commitment. Implementations are safe for concurrent use.
/// </summary>
public interface IDaClient
{
    /// <summary>The commitment kind this client produces and reads.</summary>
    DaCommitmentKind Kind { get; }

    /// <summary>Counters the batcher reports as metrics and in sequencer_getStatus.</summary>
    DaStats Stats { get; }

    /// <summary>
    /// Stores <paramref name="batch"/>. Throws <see cref="DaUnavailableException"/> when the batcher
    /// should fail over to L1 calldata, <see cref="DaRejectedException"/> when the batch itself is refused.
    /// </summary>
    ValueTask<DaCommitment> PutAsync(ReadOnlyMemory<byte> batch, CancellationToken cancellationToken);

    /// <summary>
    /// Stores <paramref name="batch"/> whose keccak256 the caller has computed already (the batcher needs it for
    /// the L1 post anyway). A content-addressed store uses it instead of hashing megabytes a second time; other
    /// backends ignore it. <paramref name="keccak256"/> must be the batch's hash: a wrong one is caught on read.
    /// </summary>
    ValueTask<DaCommitment> PutAsync(ReadOnlyMemory<byte> batch, ReadOnlyMemory<byte> keccak256, CancellationToken cancellationToken) =>
        PutAsync(batch, cancellationToken);

    /// <summary>
    /// Reads the batch behind <paramref name="commitment"/>, exactly as it was put.
    /// Throws <see cref="DaNotFoundException"/> or <see cref="DaCertificateInvalidException"/>.
    /// </summary>
    ValueTask<ReadOnlyMemory<byte>> GetAsync(DaCommitment commitment, CancellationToken cancellationToken);

    /// <summary>A cheap liveness probe of the backend; never throws for an unhealthy backend.</summary>
    ValueTask<DaHealth> CheckHealthAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Stores <paramref name="batch"/> (see the hash-taking <see cref="PutAsync(ReadOnlyMemory{byte}, ReadOnlyMemory{byte}, CancellationToken)"/>)
    /// and reports a failure as a value: <see cref="DaError.Unavailable"/> is the failover signal.
    /// </summary>
    async ValueTask<DaResult<DaCommitment>> TryPutAsync(ReadOnlyMemory<byte> batch, ReadOnlyMemory<byte> keccak256, CancellationToken cancellationToken)
    {
        try
        {
            return DaResult<DaCommitment>.Ok(await PutAsync(batch, keccak256, cancellationToken).ConfigureAwait(false));
        }
        catch (DaException e)
        {
            return DaFailure.Of(e);
        }
    }

    /// <summary>Reads the batch behind <paramref name="commitment"/> and reports a failure as a value.</summary>
    async ValueTask<DaResult<ReadOnlyMemory<byte>>> TryGetAsync(DaCommitment commitment, CancellationToken cancellationToken)
    {
        try
        {
            return DaResult<ReadOnlyMemory<byte>>.Ok(await GetAsync(commitment, cancellationToken).ConfigureAwait(false));
        }
        catch (DaException e)
        {
            return DaFailure.Of(e);
        }
    }
}
