using DaClient.Disperser;
using Microsoft.Extensions.Time.Testing;

namespace DaClient.Tests.Disperser;

public sealed class ReservationPacerTests
{
    private readonly FakeTimeProvider _time = new();

    private ReservationPacer Pacer(long bytesPerSecond = 1000, long burst = 4000, int maxWaitSeconds = 10, bool onDemand = false, long minBillable = 0) =>
        new(bytesPerSecond, burst, TimeSpan.FromSeconds(maxWaitSeconds), onDemand, minBillable, _time);

    [Fact]
    public void Blobs_within_the_burst_go_at_once_on_the_reservation()
    {
        var pacer = Pacer();

        var first = pacer.Reserve(2000);
        var second = pacer.Reserve(2000);

        Assert.Equal(new PacingDecision(PaymentLane.Reservation, TimeSpan.Zero, 2000), first);
        Assert.Equal(TimeSpan.Zero, second.Delay);
        Assert.Equal(4000, pacer.ReservedBytes);
    }

    [Fact]
    public void A_blob_beyond_the_burst_waits_for_the_bucket_to_drain_and_later_blobs_queue_behind_it()
    {
        var pacer = Pacer();
        pacer.Reserve(4000);

        var second = pacer.Reserve(1500);
        var third = pacer.Reserve(500);

        Assert.Equal(PaymentLane.Reservation, second.Lane);
        Assert.Equal(TimeSpan.FromSeconds(1.5), second.Delay);
        Assert.Equal(TimeSpan.FromSeconds(2), third.Delay);
    }

    [Fact]
    public void Time_drains_the_bucket()
    {
        var pacer = Pacer();
        pacer.Reserve(4000);

        _time.Advance(TimeSpan.FromSeconds(3));

        Assert.Equal(TimeSpan.Zero, pacer.Reserve(3000).Delay);
        Assert.Equal(TimeSpan.FromSeconds(1), pacer.Reserve(1000).Delay);
    }

    [Fact]
    public void An_empty_bucket_takes_one_oversized_blob()
    {
        var pacer = Pacer(burst: 1000);

        Assert.Equal(TimeSpan.Zero, pacer.Reserve(5000).Delay);
        Assert.Equal(TimeSpan.FromSeconds(4.1), pacer.Reserve(100).Delay);
    }

    [Fact]
    public void A_wait_longer_than_allowed_goes_on_demand_and_is_counted()
    {
        var pacer = Pacer(maxWaitSeconds: 2, onDemand: true);
        pacer.Reserve(4000);

        var decision = pacer.Reserve(3000);

        Assert.Equal(new PacingDecision(PaymentLane.OnDemand, TimeSpan.Zero, 3000), decision);
        Assert.Equal(3000, pacer.OnDemandBytes);
        Assert.Equal(4000, pacer.ReservedBytes);
    }

    [Fact]
    public void Without_on_demand_a_long_wait_still_queues_on_the_reservation()
    {
        var pacer = Pacer(maxWaitSeconds: 2, onDemand: false);
        pacer.Reserve(4000);

        var decision = pacer.Reserve(3000);

        Assert.Equal(PaymentLane.Reservation, decision.Lane);
        Assert.Equal(TimeSpan.FromSeconds(3), decision.Delay);
        Assert.Equal(0, pacer.OnDemandBytes);
    }

    [Fact]
    public void Small_blobs_are_billed_at_the_minimum()
    {
        var pacer = Pacer(minBillable: 1024);

        Assert.Equal(1024, pacer.Reserve(64).ChargedBytes);
    }

    [Fact]
    public void No_reservation_means_on_demand_or_failover()
    {
        Assert.Equal(PaymentLane.OnDemand, Pacer(bytesPerSecond: 0, onDemand: true).Reserve(10).Lane);

        var error = Assert.Throws<DaUnavailableException>(() => Pacer(bytesPerSecond: 0, onDemand: false).Reserve(10));
        Assert.Equal(DaUnavailableReason.ReservationRejected, error.Reason);
    }

    [Fact]
    public async Task Acquire_waits_until_the_delay_has_passed()
    {
        var pacer = Pacer();
        pacer.Reserve(4000);

        var acquire = pacer.AcquireAsync(1000, CancellationToken.None).AsTask();
        _time.Advance(TimeSpan.FromMilliseconds(999));
        Assert.False(acquire.IsCompleted);
        _time.Advance(TimeSpan.FromMilliseconds(1));

        var decision = await acquire;
        Assert.Equal(PaymentLane.Reservation, decision.Lane);
    }

    [Fact]
    public async Task A_cancelled_wait_gives_its_bytes_back()
    {
        var pacer = Pacer();
        pacer.Reserve(4000);
        using var cancel = new CancellationTokenSource();

        var acquire = pacer.AcquireAsync(2000, cancel.Token).AsTask();
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => acquire);

        Assert.Equal(4000, pacer.ReservedBytes);
        Assert.Equal(TimeSpan.FromSeconds(1), pacer.Reserve(1000).Delay);
    }
}
