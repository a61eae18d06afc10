using Admission.Sponsorship;
using Batcher.Pipeline;
using Primitives.Chain;

namespace Sequencer.OperatorConsole;

/// <summary>
/// Every <see cref="ConsoleOptions.SampleSeconds"/> turns the running counts into one <see cref="ConsoleSample"/>: the
/// admission meter's totals (differences since the previous sample), the confirmations heard by
/// <see cref="ConfirmationListener"/>, the batcher's lag and the DA backend's state.
/// </summary>
internal sealed class ConsoleSampler(
    ConsoleHistory history,
    AdmissionMeter admission,
    ConfirmationListener confirmations,
    BatcherStatus batcher,
    ISealedBlockSource chain,
    TimeProvider time) : BackgroundService
{
    private AdmissionSnapshot? _previous;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _previous = admission.Totals.Snapshot();
        confirmations.TakeInterval();
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(history.SampleSeconds), time);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            history.Add(Sample());
        }
    }

    internal ConsoleSample Sample()
    {
        var totals = admission.Totals.Snapshot();
        var previous = _previous ?? totals;
        _previous = totals;
        long admitted = 0;
        var refused = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var ((verdict, reason), count) in totals.Counts)
        {
            var delta = count - previous.Of(verdict, reason);
            if (delta <= 0)
            {
                continue;
            }

            if (verdict == AdmissionMeter.Admitted)
            {
                admitted += delta;
            }
            else
            {
                refused[verdict + ": " + reason] = delta;
            }
        }

        var (confirmed, p99) = confirmations.TakeInterval();
        return new ConsoleSample(
            time.GetUtcNow().ToUnixTimeMilliseconds(),
            admitted,
            refused,
            Math.Round((double)confirmed / history.SampleSeconds, 2),
            p99,
            BatchLag(),
            DaState());
    }

    // As the gauge batcher.lag: sealed blocks not yet taken into a batch; none while this replica does not batch.
    private long? BatchLag()
    {
        if (batcher.Phase is BatcherPhase.Disabled or BatcherPhase.Standby)
        {
            return null;
        }

        var head = chain.LatestSealedNumber;
        var next = batcher.NextBlock;
        return head >= next ? (long)(head - next + 1) : 0;
    }

    /// <summary>"off" (no batching here), "failed over" (batches go to L1 calldata), "failing" (the last DA call failed), else "ok".</summary>
    private string DaState() => batcher.Phase is BatcherPhase.Disabled or BatcherPhase.Standby ? "off"
        : batcher.FailedOver ? "failed over"
        : batcher.LastErrorSource == BatcherErrorSource.Da ? "failing"
        : "ok";
}
