using DaClient.Retry;
using TestInfrastructure.Time;

namespace DaClient.Tests.Retry;

public sealed class DaRetryPipelineTests
{
    private static readonly TimeSpan BaseDelay = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaxDelay = TimeSpan.FromMilliseconds(250);

    private static DaRetryPipeline Pipeline(TimeProvider time, DaStatsCollector stats, int maxRetries = 3) =>
        new("test-da", maxRetries, BaseDelay, MaxDelay, time, stats, null);

    [Fact]
    public async Task Transient_failures_are_retried_on_the_time_provider_then_reported_as_retries_exhausted()
    {
        var time = new TimerWatchingTime();
        var stats = new DaStatsCollector(DaCommitmentKind.EigenDaProxy);
        var attempts = 0;
        var call = Pipeline(time, stats).ExecuteAsync(
            _ =>
            {
                attempts++;
                return ValueTask.FromResult<DaResult<int>>(DaFailure.Transient($"HTTP 500: attempt {attempts}"));
            },
            "put",
            CancellationToken.None).AsTask();

        var delays = new List<TimeSpan>();
        for (var retry = 0; retry < 3; retry++)
        {
            var delay = await time.NextTimerAsync();
            Assert.False(call.IsCompleted);
            delays.Add(delay);
            time.Advance(delay);
        }

        var result = await call;

        Assert.Equal(4, attempts);
        Assert.All(delays, d => Assert.InRange(d, TimeSpan.Zero, MaxDelay));
        Assert.Equal(3, stats.Snapshot().Retries);
        var failure = Assert.IsType<DaFailure>(result.Failure);
        Assert.Equal(DaError.Unavailable, failure.Error);
        Assert.Equal(DaUnavailableReason.RetriesExhausted, failure.Reason);
        Assert.Equal("test-da put failed after 4 attempts; last: HTTP 500: attempt 4", failure.Message);
    }

    [Fact]
    public async Task A_success_after_a_transient_failure_is_returned_as_the_value()
    {
        var time = new TimerWatchingTime();
        var stats = new DaStatsCollector(DaCommitmentKind.EigenDaProxy);
        var attempts = 0;
        var call = Pipeline(time, stats).ExecuteAsync(
            _ => ValueTask.FromResult(++attempts == 1 ? DaFailure.Transient("timeout") : DaResult<int>.Ok(42)),
            "get",
            CancellationToken.None).AsTask();

        time.Advance(await time.NextTimerAsync());
        var result = await call;

        Assert.True(result.Succeeded);
        Assert.Equal(42, result.Value);
        Assert.Equal(1, stats.Snapshot().Retries);
    }

    [Theory]
    [InlineData(DaError.Unavailable)]
    [InlineData(DaError.Rejected)]
    [InlineData(DaError.NotFound)]
    [InlineData(DaError.CertificateInvalid)]
    public async Task Final_failures_are_not_retried(DaError error)
    {
        var time = new TimerWatchingTime();
        var stats = new DaStatsCollector(DaCommitmentKind.EigenDaProxy);
        var attempts = 0;

        var result = await Pipeline(time, stats).ExecuteAsync(
            _ =>
            {
                attempts++;
                return ValueTask.FromResult<DaResult<int>>(new DaFailure(error, "final"));
            },
            "put",
            CancellationToken.None);

        Assert.Equal(1, attempts);
        Assert.False(time.TimerCreated);
        Assert.Equal(error, result.Failure!.Error);
        Assert.Equal(0, stats.Snapshot().Retries);
    }

    [Fact]
    public async Task Without_retries_one_transient_failure_is_already_exhausted()
    {
        var stats = new DaStatsCollector(DaCommitmentKind.EigenDaProxy);

        var result = await Pipeline(new TimerWatchingTime(), stats, maxRetries: 0).ExecuteAsync(
            _ => ValueTask.FromResult<DaResult<int>>(DaFailure.Transient("HTTP 502")),
            "put",
            CancellationToken.None);

        Assert.Equal(DaUnavailableReason.RetriesExhausted, result.Failure!.Reason);
        Assert.Equal("test-da put failed after 1 attempts; last: HTTP 502", result.Failure.Message);
    }
}
