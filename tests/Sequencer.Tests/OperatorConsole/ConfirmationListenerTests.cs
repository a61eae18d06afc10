using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Sequencer.OperatorConsole;
using Sequencer.Sequencing;

namespace Sequencer.Tests.OperatorConsole;

public sealed class ConfirmationListenerTests
{
    [Fact]
    public void Each_interval_counts_its_confirmations_and_its_p99_from_this_hosts_meter_only()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        using var otherHost = new ServiceCollection().AddMetrics().BuildServiceProvider();
        using var metrics = new SequencerMetrics(services.GetRequiredService<IMeterFactory>());
        using var otherMetrics = new SequencerMetrics(otherHost.GetRequiredService<IMeterFactory>());
        using var listener = new ConfirmationListener(services.GetRequiredService<IMeterFactory>());
        for (var i = 0; i < 99; i++)
        {
            metrics.Accepted();
            metrics.ConfirmLatency(TimeSpan.FromMilliseconds(1));
        }

        metrics.Accepted();
        metrics.ConfirmLatency(TimeSpan.FromMilliseconds(200));
        otherMetrics.Accepted();
        otherMetrics.ConfirmLatency(TimeSpan.FromSeconds(3));

        var (confirmed, p99) = listener.TakeInterval();
        var (nextConfirmed, nextP99) = listener.TakeInterval();

        Assert.Equal(100, confirmed);
        // 1 ms falls in the bucket whose upper bound is the first above it (bounds grow by 20 %).
        Assert.InRange(p99!.Value, 1, 1.2);
        Assert.Equal(0, nextConfirmed);
        Assert.Null(nextP99);
    }

    [Theory]
    [InlineData(0.01, 0)]
    [InlineData(0.05, 0)]
    [InlineData(0.055, 1)]
    [InlineData(1_000_000, 64)]
    public void Latencies_fall_in_the_bucket_whose_upper_bound_is_the_first_at_or_above_them(double ms, int bucket)
    {
        Assert.Equal(bucket, ConfirmationListener.BucketOf(ms));
        Assert.True(ms <= ConfirmationListener.UpperBoundMs(bucket) || bucket == 64);
    }
}
