namespace DaClient;

/// <summary>
/// Reads a batch by commitment from whichever backend the commitment's kind names. The chain's
/// history may mix kinds (the backend was switched, or batches failed over), so readers such as
/// <c>verify</c> need every backend, not just the one the batcher writes to now.
/// </summary>
public sealed class MultiBackendDaReader
{
    private readonly Dictionary<DaCommitmentKind, IDaClient> _clients = [];

    public MultiBackendDaReader(IEnumerable<IDaClient> clients)
    {
        ArgumentNullException.ThrowIfNull(clients);
        foreach (var client in clients)
        {
            if (!_clients.TryAdd(client.Kind, client))
            {
                throw new ArgumentException($"two DA clients for commitment kind {client.Kind}", nameof(clients));
            }
        }
    }

    /// <summary>The batch behind <paramref name="commitment"/>. Calldata batches are read from the L1 transaction, not here.</summary>
    public ValueTask<ReadOnlyMemory<byte>> GetAsync(DaCommitment commitment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(commitment);
        if (commitment.Kind == DaCommitmentKind.L1Calldata)
        {
            throw new DaRejectedException("an L1 calldata commitment is resolved from the posting transaction's calldata, not from a DA layer");
        }

        return _clients.TryGetValue(commitment.Kind, out var client)
            ? client.GetAsync(commitment, cancellationToken)
            : throw new DaRejectedException($"no DA client configured for {commitment.Kind} commitments");
    }

    /// <summary>Checks that calldata matches its commitment (kind 0x03 holds keccak256 of the batch).</summary>
    public static ReadOnlyMemory<byte> CheckCalldata(DaCommitment commitment, ReadOnlyMemory<byte> calldataBatch)
    {
        ArgumentNullException.ThrowIfNull(commitment);
        if (commitment.Kind != DaCommitmentKind.L1Calldata)
        {
            throw new DaRejectedException($"{commitment.Kind} commitment is not a calldata commitment");
        }

        return DaCommitment.Keccak256(calldataBatch.Span).AsSpan().SequenceEqual(commitment.Body.Span)
            ? calldataBatch
            : throw new DaCertificateInvalidException("calldata batch does not match its commitment hash");
    }
}
