using Microsoft.Extensions.Logging;

namespace Batcher.Pipeline;

/// <summary>
/// The way to ask the batch loop for a reconciliation with the inbox: the tracker notices a disagreement and asks;
/// the batch loop, the only one that hands out nonces, takes the request and reconciles before any new batch.
/// </summary>
internal sealed partial class ReconcileRequests(ILogger logger)
{
    private L1Disagreement? _request;
    private TaskCompletionSource _signal = CheckpointState.NewSignal();
    private volatile bool _reconciling;

    /// <summary>True while the batch loop reconciles (the tracker stays out of the way).</summary>
    public bool Reconciling
    {
        get => _reconciling;
        set => _reconciling = value;
    }

    /// <summary>True while a request waits to be taken.</summary>
    public bool Pending => Volatile.Read(ref _request) is not null;

    /// <summary>Completes when a request is made (a fresh task after each <see cref="Take"/>).</summary>
    public Task Signal => Volatile.Read(ref _signal).Task;

    /// <summary>Asks the batch loop to reconcile (the first reason asked for is the one reported).</summary>
    public void Request(L1Disagreement disagreement)
    {
        if (Interlocked.CompareExchange(ref _request, disagreement, null) is null)
        {
            LogDisagreement(logger, disagreement.Message);
        }

        Volatile.Read(ref _signal).TrySetResult();
    }

    public L1Disagreement? Take()
    {
        // A fresh signal before taking the request: a request from now on completes the fresh one (and one that
        // came in between is taken here, at the cost of one more turn of the loop, never a spin on a stale signal).
        if (Volatile.Read(ref _signal).Task.IsCompleted)
        {
            Interlocked.Exchange(ref _signal, CheckpointState.NewSignal());
        }

        return Interlocked.Exchange(ref _request, null);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "L1 disagrees with the batcher's records: {Reason}")]
    private static partial void LogDisagreement(ILogger logger, string reason);
}
