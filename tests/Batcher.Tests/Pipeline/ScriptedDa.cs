using DaClient;

namespace Batcher.Tests.Pipeline;

/// <summary>A DA client that answers puts from a script (the last answer repeats) and reports a health flag.</summary>
internal sealed class ScriptedDa : IDaClient
{
    private readonly Queue<Func<BuiltBatchBytes, DaResult<DaCommitment>>> _answers = new();
    private Func<BuiltBatchBytes, DaResult<DaCommitment>> _last = b => DaResult<DaCommitment>.Ok(new DaCommitment(DaCommitmentKind.Local, b.Hash));

    public int Puts { get; private set; }

    public bool Healthy { get; set; } = true;

    public DaCommitmentKind Kind => DaCommitmentKind.Local;

    public DaStats Stats => new(Kind, 0, 0, 0, 0, 0, 0, 0, TimeSpan.Zero, TimeSpan.Zero, 0);

    public ScriptedDa Then(DaFailure failure) => Then(_ => failure);

    public ScriptedDa ThenStores() => Then(b => DaResult<DaCommitment>.Ok(new DaCommitment(DaCommitmentKind.Local, b.Hash)));

    private ScriptedDa Then(Func<BuiltBatchBytes, DaResult<DaCommitment>> answer)
    {
        _answers.Enqueue(answer);
        return this;
    }

    public ValueTask<DaResult<DaCommitment>> TryPutAsync(ReadOnlyMemory<byte> batch, ReadOnlyMemory<byte> keccak256, CancellationToken cancellationToken)
    {
        Puts++;
        if (_answers.TryDequeue(out var answer))
        {
            _last = answer;
        }

        return ValueTask.FromResult(_last(new BuiltBatchBytes(keccak256.ToArray())));
    }

    public async ValueTask<DaCommitment> PutAsync(ReadOnlyMemory<byte> batch, CancellationToken cancellationToken) =>
        (await TryPutAsync(batch, DaCommitment.Keccak256(batch.Span), cancellationToken)).Value;

    public ValueTask<ReadOnlyMemory<byte>> GetAsync(DaCommitment commitment, CancellationToken cancellationToken) =>
        throw new NotSupportedException("the publisher only puts");

    public ValueTask<DaHealth> CheckHealthAsync(CancellationToken cancellationToken) =>
        ValueTask.FromResult(Healthy ? DaHealth.Healthy("scripted") : DaHealth.Unhealthy("scripted down"));

    internal readonly record struct BuiltBatchBytes(byte[] Hash);
}
