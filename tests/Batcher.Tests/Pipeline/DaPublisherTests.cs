using Batcher.Options;
using Batcher.Hosting;
using Batcher.Pipeline;
using DaClient;
using Microsoft.Extensions.Logging.Abstractions;
using TestInfrastructure.Time;

namespace Batcher.Tests.Pipeline;

public sealed class DaPublisherTests : IDisposable
{
    private static readonly DaFailure Down = DaFailure.Unavailable(DaUnavailableReason.FailoverRequested, "proxy asks for failover (503)");

    private readonly TimerWatchingTime _time = new();
    private readonly BatcherStatus _status = new();
    private readonly BatcherMetrics _metrics;

    public DaPublisherTests() => _metrics = new BatcherMetrics(_status);

    public void Dispose() => _metrics.Dispose();

    private static BatcherOptions Options(int failoverAfterMs = 3000) => new()
    {
        DaFailoverAfterMs = failoverAfterMs,
        DaRetryDelayMs = 1000,
        DaRecoveryProbeMs = 10_000,
        L1 = new L1PostingOptions { CalldataMaxBatchBytes = 2000 },
    };

    private DaPublisher Publisher(ScriptedDa da, BatcherOptions options, bool canFailOver = true) =>
        new(da, options, canFailOver, _status, _metrics, _time, NullLogger.Instance);

    private static BuiltBatch Batch(ulong index, int bytes = 100, ulong firstBlock = 1, ulong lastBlock = 1)
    {
        var body = new byte[bytes];
        body[0] = (byte)(index + 1);
        return new BuiltBatch(index, firstBlock, lastBlock, 0, body, DaCommitment.Keccak256(body), new byte[32], bytes, 1, new byte[32]);
    }

    [Fact]
    public async Task A_stored_batch_is_published_to_da_with_its_commitment()
    {
        var da = new ScriptedDa();
        var batch = Batch(0);

        var result = await Publisher(da, Options()).PublishAsync(batch, CancellationToken.None);

        Assert.Equal(PublishOutcome.Da, result.Outcome);
        Assert.Equal(DaCommitmentKind.Local, result.Commitment!.Kind);
        Assert.Equal(batch.Hash, result.Commitment.Body.ToArray());
        Assert.False(_status.FailedOver);
    }

    [Fact]
    public async Task Da_down_is_retried_until_the_failover_time_then_the_batch_goes_as_calldata()
    {
        var da = new ScriptedDa().Then(Down);
        var batch = Batch(0);

        var publishing = Publisher(da, Options(failoverAfterMs: 3000)).PublishAsync(batch, CancellationToken.None);
        for (var retry = 0; retry < 3; retry++)
        {
            Assert.Equal(TimeSpan.FromMilliseconds(1000), await _time.NextTimerAsync());
            Assert.False(publishing.IsCompleted);
            _time.Advance(TimeSpan.FromMilliseconds(1000));
        }

        var result = await publishing;

        Assert.Equal(PublishOutcome.Calldata, result.Outcome);
        Assert.Equal(DaCommitment.ForCalldata(batch.Bytes), result.Commitment);
        Assert.Equal(4, da.Puts);
        Assert.True(_status.FailedOver);
        Assert.Equal(BatcherErrorSource.Da, _status.LastErrorSource);
        Assert.Equal("DA: proxy asks for failover (503)", _status.LastError);
    }

    [Fact]
    public async Task Failed_over_batches_skip_da_until_a_probe_finds_it_healthy_again()
    {
        var da = new ScriptedDa().Then(Down);
        da.Healthy = false;
        var publisher = Publisher(da, Options(failoverAfterMs: 0));
        Assert.Equal(PublishOutcome.Calldata, (await publisher.PublishAsync(Batch(0), CancellationToken.None)).Outcome);

        var whileDown = await publisher.PublishAsync(Batch(1), CancellationToken.None);
        _time.Advance(TimeSpan.FromMilliseconds(10_000));
        var probedUnhealthy = await publisher.PublishAsync(Batch(2), CancellationToken.None);
        da.Healthy = true;
        da.ThenStores();
        _time.Advance(TimeSpan.FromMilliseconds(10_000));
        var recovered = await publisher.PublishAsync(Batch(3), CancellationToken.None);

        Assert.Equal(PublishOutcome.Calldata, whileDown.Outcome);
        Assert.Equal(PublishOutcome.Calldata, probedUnhealthy.Outcome);
        Assert.Equal(PublishOutcome.Da, recovered.Outcome);
        Assert.Equal(2, da.Puts);
        Assert.False(_status.FailedOver);
        Assert.Null(_status.LastError);
    }

    [Fact]
    public async Task Failed_over_with_several_blocks_too_large_for_calldata_asks_for_a_smaller_batch()
    {
        var da = new ScriptedDa().Then(Down);

        var result = await Publisher(da, Options(failoverAfterMs: 0)).PublishAsync(Batch(0, bytes: 5000, firstBlock: 1, lastBlock: 9), CancellationToken.None);

        Assert.Equal(PublishOutcome.TooLargeForCalldata, result.Outcome);
        Assert.Null(result.Commitment);
    }

    [Fact]
    public async Task A_batch_da_refuses_is_reported_refused_at_once_without_failover()
    {
        var da = new ScriptedDa().Then(DaFailure.Rejected("batch of 5000 bytes exceeds the proxy limit"));

        var result = await Publisher(da, Options()).PublishAsync(Batch(0), CancellationToken.None);

        Assert.Equal(PublishOutcome.Refused, result.Outcome);
        Assert.Equal(DaError.Rejected, result.Failure!.Error);
        Assert.Equal(1, da.Puts);
        Assert.False(_time.TimerCreated);
        Assert.False(_status.FailedOver);
    }

    [Fact]
    public async Task Without_l1_posting_da_down_is_waited_out_never_failed_over()
    {
        var da = new ScriptedDa().Then(Down).Then(Down).ThenStores();

        var publishing = Publisher(da, Options(failoverAfterMs: 0), canFailOver: false).PublishAsync(Batch(0), CancellationToken.None);
        for (var retry = 0; retry < 2; retry++)
        {
            _time.Advance(await _time.NextTimerAsync());
        }

        var result = await publishing;

        Assert.Equal(PublishOutcome.Da, result.Outcome);
        Assert.Equal(3, da.Puts);
        Assert.False(_status.FailedOver);
        Assert.Null(_status.LastError);
    }
}
