using DaClient.Retry;
using TestInfrastructure.Time;

namespace DaClient.Tests.Retry;

public sealed class DaRetryPipelineTests
{
    private static readonly TimeSpan BaseDelay = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaxDelay = TimeSpan.FromMilliseconds(250);

    private readonly TimerWatchingTime _time = new();
    private readonly DaStatsCollector _stats = new(DaCommitmentKind.EigenDaProxy);
    private int _attempts;

    /// <summary>Starts a call whose attempt number n (from 1) answers <paramref name="answer"/>(n).</summary>
    private Task<DaResult<int>> Execute(Func<int, DaResult<int>> answer, int maxRetries = 3) =>
        new DaRetryPipeline("test-da", maxRetries, BaseDelay, MaxDelay, _time, _stats, null)
            .ExecuteAsync(_ => ValueTask.FromResult(answer(++_attempts)), "put", CancellationToken.None)
            .AsTask();

    [Fact]
    public async Task Transient_failures_are_retried_on_the_time_provider_then_reported_as_retries_exhausted()
    {
        var call = Execute(n => DaFailure.Transient($"HTTP 500: attempt {n}"));

        var delays = new List<TimeSpan>();
        for (var retry = 0; retry < 3; retry++)
        {
            var delay = await _time.NextTimerAsync();
            Assert.False(call.IsCompleted);
            delays.Add(delay);
            _time.Advance(delay);
        }

        var result = await call;

        Assert.Equal(4, _attempts);
        Assert.All(delays, d => Assert.InRange(d, TimeSpan.Zero, MaxDelay));
        Assert.Equal(3, _stats.Snapshot().Retries);
        var failure = Assert.IsType<DaFailure>(result.Failure);
        Assert.Equal(DaError.Unavailable, failure.Error);
        Assert.Equal(DaUnavailableReason.RetriesExhausted, failure.Reason);
        Assert.Equal("test-da put failed after 4 attempts; last: HTTP 500: attempt 4", failure.Message);
    }

    [Fact]
    public async Task A_success_after_a_transient_failure_is_returned_as_the_value()
    {
        var call = Execute(n => n == 1 ? DaFailure.Transient("timeout") : DaResult<int>.Ok(42));

        _time.Advance(await _time.NextTimerAsync());
        var result = await call;

        Assert.True(result.Succeeded);
        Assert.Equal(42, result.Value);
        Assert.Equal(1, _stats.Snapshot().Retries);
    }

    [Theory]
    [InlineData(DaError.Unavailable)]
    [InlineData(DaError.Rejected)]
    [InlineData(DaError.NotFound)]
    [InlineData(DaError.CertificateInvalid)]
    public async Task Final_failures_are_not_retried(DaError error)
    {
        var result = await Execute(_ => new DaFailure(error, "final"));

        Assert.Equal(1, _attempts);
        Assert.False(_time.TimerCreated);
        Assert.Equal(error, result.Failure!.Error);
        Assert.Equal(0, _stats.Snapshot().Retries);
    }

    [Fact]
    public async Task Without_retries_one_transient_failure_is_already_exhausted()
    {
        var result = await Execute(_ => DaFailure.Transient("HTTP 502"), maxRetries: 0);

        Assert.Equal(DaUnavailableReason.RetriesExhausted, result.Failure!.Reason);
        Assert.Equal("test-da put failed after 1 attempts; last: HTTP 502", result.Failure.Message);
    }
}
