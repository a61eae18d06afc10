namespace Batcher.Pipeline;

/// <summary>Where the batcher is in its life; sequencer_getStatus shows it as <see cref="BatcherPhases.Name"/>.</summary>
public enum BatcherPhase
{
    Starting,
    Running,

    /// <summary>L1 disagrees with the batcher's records; the batcher agrees with the inbox before it posts anything new.</summary>
    Reconciling,
    Stopped,

    /// <summary>Stopped by an error no retry can fix (shown in the status's last error).</summary>
    Faulted,

    /// <summary>Batching is off in the configuration.</summary>
    Disabled,

    /// <summary>A replica that does not lead its set: only the leader batches (docs/replication.md).</summary>
    Standby,
}

/// <summary>The public names of the phases (docs/rpc.md, sequencer_getStatus "batcher.state").</summary>
public static class BatcherPhases
{
    public static string Name(this BatcherPhase phase) => phase switch
    {
        BatcherPhase.Starting => "starting",
        BatcherPhase.Running => "running",
        BatcherPhase.Reconciling => "reconciling",
        BatcherPhase.Stopped => "stopped",
        BatcherPhase.Faulted => "faulted",
        BatcherPhase.Disabled => "disabled",
        BatcherPhase.Standby => "standby",
        _ => throw new ArgumentOutOfRangeException(nameof(phase), phase, null),
    };
}
