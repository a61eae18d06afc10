using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Sequencer.Replication;

/// <summary>
/// Readiness of one replica (docs/operations.md). A follower is ready: it serves reads and answers writes with not_leader.
/// A leader whose acknowledging followers, itself counted, are fewer than MinAcks is Degraded, not Unhealthy: it still
/// serves reads, and no other node could confirm either, so taking it out of a load balancer would only lose the reads.
/// </summary>
internal sealed class ReplicationHealthCheck(LeadershipState leadership, ReplicaLinks links, int minAcks) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var current = leadership.Current;
        if (!leadership.IsLeader)
        {
            var leader = current.LeaderUrl ?? "none known";
            return Task.FromResult(HealthCheckResult.Healthy($"follower at epoch {current.Epoch} ({current.Reason}); leader {leader}"));
        }

        var acknowledging = 1;
        var down = new List<string>();
        foreach (var link in links.All)
        {
            if (link.Acknowledging)
            {
                acknowledging++;
            }
            else
            {
                down.Add(link.NodeId);
            }
        }

        if (acknowledging < minAcks)
        {
            return Task.FromResult(HealthCheckResult.Degraded(
                $"leader at epoch {current.Epoch} without a quorum: {acknowledging} of MinAcks = {minAcks} replicas acknowledging "
                + $"(not acknowledging: {string.Join(", ", down)}); confirmations are refused with -32005 until followers answer"));
        }

        return Task.FromResult(HealthCheckResult.Healthy($"leader at epoch {current.Epoch}; {acknowledging} replicas acknowledging, MinAcks = {minAcks}"));
    }
}
