namespace DaClient.Tests;

public sealed class InstrumentedDaClientTests
{
    private sealed class ScriptedBackend(DaResult<DaCommitment> put) : IDaBackend
    {
        public DaCommitmentKind Kind => DaCommitmentKind.EigenDaProxy;

        public ValueTask<DaResult<DaCommitment>> PutAsync(ReadOnlyMemory<byte> batch, CancellationToken cancellationToken) => ValueTask.FromResult(put);

        public ValueTask<DaResult<ReadOnlyMemory<byte>>> GetAsync(DaCommitment commitment, CancellationToken cancellationToken) =>
            ValueTask.FromResult(DaResult<ReadOnlyMemory<byte>>.Ok(new byte[] { 1, 2, 3 }));

        public ValueTask<DaHealth> CheckHealthAsync(CancellationToken cancellationToken) => ValueTask.FromResult(DaHealth.Healthy("scripted"));
    }

    [Fact]
    public async Task An_unavailable_backend_is_a_failover_value_counted_once()
    {
        var client = new InstrumentedDaClient(new ScriptedBackend(DaFailure.Unavailable(DaUnavailableReason.FailoverRequested, "503")), "scripted");

        var result = await client.TryPutAsync(new byte[] { 1 }, default, CancellationToken.None);

        Assert.Equal(DaError.Unavailable, result.Failure!.Error);
        Assert.Equal(1, client.Stats.PutFailures);
        Assert.Equal(1, client.Stats.Failovers);
        Assert.Equal(0, client.Stats.Puts);
    }

    [Fact]
    public async Task The_throwing_put_reports_the_same_failure_as_its_exception()
    {
        var client = new InstrumentedDaClient(new ScriptedBackend(DaFailure.Rejected("too large")), "scripted");

        var error = await Assert.ThrowsAsync<DaRejectedException>(async () => await client.PutAsync(new byte[] { 1 }, CancellationToken.None));

        Assert.Equal("too large", error.Message);
        Assert.Equal(1, client.Stats.PutFailures);
        Assert.Equal(0, client.Stats.Failovers);
    }

    [Fact]
    public async Task Successful_puts_and_gets_are_counted_and_an_empty_batch_is_rejected_without_calling_the_backend()
    {
        var commitment = new DaCommitment(DaCommitmentKind.EigenDaProxy, new byte[] { 0, 9 });
        var client = new InstrumentedDaClient(new ScriptedBackend(DaResult<DaCommitment>.Ok(commitment)), "scripted");

        var put = await client.TryPutAsync(new byte[10], default, CancellationToken.None);
        var read = await client.TryGetAsync(commitment, CancellationToken.None);
        var empty = await client.TryPutAsync(ReadOnlyMemory<byte>.Empty, default, CancellationToken.None);
        var wrongKind = await client.TryGetAsync(new DaCommitment(DaCommitmentKind.Local, new byte[32]), CancellationToken.None);

        Assert.Same(commitment, put.Value);
        Assert.Equal(new byte[] { 1, 2, 3 }, read.Value.ToArray());
        Assert.Equal(DaError.Rejected, empty.Failure!.Error);
        Assert.Equal(DaError.Rejected, wrongKind.Failure!.Error);
        Assert.Equal(1, client.Stats.Puts);
        Assert.Equal(10, client.Stats.BytesPut);
        Assert.Equal(1, client.Stats.Gets);
    }
}
