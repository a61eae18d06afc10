using DaClient;

namespace Batcher.Tests.EndToEnd;

/// <summary>The real local DA store behind a switch: switched off, it answers like an EigenDA proxy that returns 503.</summary>
public sealed class SwitchableDa(IDaClient inner) : IDaClient
{
    private volatile bool _available = true;

    public bool Available
    {
        get => _available;
        set => _available = value;
    }

    public int RefusedPuts;

    public DaCommitmentKind Kind => inner.Kind;

    public DaStats Stats => inner.Stats;

    public ValueTask<DaCommitment> PutAsync(ReadOnlyMemory<byte> batch, CancellationToken cancellationToken)
    {
        if (!_available)
        {
            Interlocked.Increment(ref RefusedPuts);
            throw new DaUnavailableException(DaUnavailableReason.FailoverRequested, "DA switched off by the test (503)");
        }

        return inner.PutAsync(batch, cancellationToken);
    }

    public ValueTask<ReadOnlyMemory<byte>> GetAsync(DaCommitment commitment, CancellationToken cancellationToken) => inner.GetAsync(commitment, cancellationToken);

    public ValueTask<DaHealth> CheckHealthAsync(CancellationToken cancellationToken) =>
        _available ? inner.CheckHealthAsync(cancellationToken) : ValueTask.FromResult(DaHealth.Unhealthy("switched off by the test"));
}
