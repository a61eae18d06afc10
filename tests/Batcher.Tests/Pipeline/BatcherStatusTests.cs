using Batcher.Pipeline;

namespace Batcher.Tests.Pipeline;

public sealed class BatcherStatusTests
{
    [Theory]
    [InlineData(BatcherPhase.Starting, "starting")]
    [InlineData(BatcherPhase.Running, "running")]
    [InlineData(BatcherPhase.Reconciling, "reconciling")]
    [InlineData(BatcherPhase.Stopped, "stopped")]
    [InlineData(BatcherPhase.Faulted, "faulted")]
    [InlineData(BatcherPhase.Disabled, "disabled")]
    public void Each_phase_keeps_its_public_name_in_the_status(BatcherPhase phase, string name)
    {
        var status = new BatcherStatus();

        status.SetPhase(phase);

        Assert.Equal(name, status.State);
        Assert.Equal(name, status.Snapshot().State);
    }

    [Fact]
    public void An_error_clears_only_when_its_own_source_recovers()
    {
        var status = new BatcherStatus();

        status.SetError(BatcherErrorSource.Da, "proxy unreachable");
        status.ClearError(BatcherErrorSource.L1);
        var afterL1Recovered = status.LastError;
        status.SetError(BatcherErrorSource.L1, "connection refused");
        status.ClearError(BatcherErrorSource.L1);

        Assert.Equal("DA: proxy unreachable", afterL1Recovered);
        Assert.Null(status.LastError);
        Assert.Null(status.LastErrorSource);
    }
}
