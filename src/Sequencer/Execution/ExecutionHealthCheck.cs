using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Sequencer.Execution;

/// <summary>Unready once execution diverged (it stopped for good); degraded while the node is unreachable.</summary>
internal sealed class ExecutionHealthCheck(ExecutionFollower follower) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (follower.Failure is { } failure)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("execution stopped: " + failure));
        }

        if (!follower.NodeReachable)
        {
            return Task.FromResult(HealthCheckResult.Degraded("execution node unreachable; sequencing goes on, execution catches up when it is back"));
        }

        return Task.FromResult(HealthCheckResult.Healthy($"executed up to block {follower.LastExecuted}"));
    }
}
