using Batcher.L1;
using Polly;
using TestInfrastructure.Time;

namespace Batcher.Tests.L1;

public sealed class L1RetryTests
{
    [Fact]
    public async Task An_unreachable_node_is_tried_again_linearly_longer_up_to_five_seconds_on_the_time_provider()
    {
        var time = new TimerWatchingTime();
        var failures = new List<int>();
        var pipeline = L1Retry.Create(time, TimeSpan.FromMilliseconds(2000), L1Retry.IsTransient, (_, attempt) => failures.Add(attempt));
        var calls = 0;

        var call = pipeline.ExecuteAsync(_ => ++calls <= 4 ? throw new HttpRequestException("connection refused") : ValueTask.FromResult(calls), CancellationToken.None).AsTask();
        var delays = new List<TimeSpan>();
        for (var retry = 0; retry < 4; retry++)
        {
            var delay = await time.NextTimerAsync();
            delays.Add(delay);
            time.Advance(delay);
        }

        Assert.Equal(5, await call);
        Assert.Equal([0, 1, 2, 3], failures);
        Assert.Equal([2000, 4000, 5000, 5000], delays.Select(d => d.TotalMilliseconds));
    }

    [Fact]
    public async Task What_the_batcher_finds_wrong_with_l1_is_not_retried()
    {
        var time = new TimerWatchingTime();
        var pipeline = L1Retry.Create(time, TimeSpan.FromMilliseconds(200), L1Retry.IsTransient, (_, _) => { });

        await Assert.ThrowsAsync<L1PostingException>(async () =>
            await pipeline.ExecuteAsync<int>(_ => throw new L1PostingException("the inbox takes batches only from another address"), CancellationToken.None));

        Assert.False(time.TimerCreated);
    }

    [Fact]
    public async Task Cancellation_ends_the_wait_for_the_node()
    {
        var time = new TimerWatchingTime();
        var pipeline = L1Retry.Create(time, TimeSpan.FromMilliseconds(200), L1Retry.IsTransient, (_, _) => { });
        using var stop = new CancellationTokenSource();

        var call = pipeline.ExecuteAsync<int>(_ => throw new HttpRequestException("connection refused"), stop.Token).AsTask();
        await time.NextTimerAsync();
        await stop.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
    }
}
