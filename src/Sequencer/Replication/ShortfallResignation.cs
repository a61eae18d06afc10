using Sequencer.Log;
using Sequencer.Sequencing;

namespace Sequencer.Replication;

/// <summary>
/// A leader that cannot gather MinAcks acknowledgements for one lease TTL resigns (docs/replication.md, "Resigning"): it
/// can confirm nothing, and a partition that cuts it off from its followers but not from etcd would otherwise keep the
/// set without a confirming leader for as long as the partition lasts. The followers that reach each other elect one of
/// them; if none can (they are down too), nobody leads and writes get <c>not_leader</c> instead of <c>replication</c>.
/// </summary>
internal sealed partial class ShortfallResignation(
    SequencerCore core, LeadershipState leadership, LeaderElection election, TimeSpan after, TimeSpan checkEvery, TimeProvider time,
    ILogger<ShortfallResignation> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        long? shortSince = null;
        using var timer = new PeriodicTimer(checkEvery, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                if (!leadership.IsLeader || core.Log?.Failure is not ReplicationShortfallException shortfall)
                {
                    shortSince = null;
                    continue;
                }

                shortSince ??= time.GetTimestamp();
                if (time.GetElapsedTime(shortSince.Value) < after)
                {
                    continue;
                }

                LogResigning(after.TotalMilliseconds, shortfall.Message);
                await election.ResignAsync(stoppingToken).ConfigureAwait(false);
                shortSince = null;
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(EventId = 9011, Level = LogLevel.Warning, Message = "Replication: resigning the lead, short of acknowledgements for {Milliseconds:0} ms: {Reason}")]
    private partial void LogResigning(double milliseconds, string reason);
}
