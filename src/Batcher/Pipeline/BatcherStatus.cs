namespace Batcher.Pipeline;

/// <summary>
/// Live batcher state for sequencer_getStatus and the metrics. Written by the pipeline,
/// read from any thread; every field is published with a single volatile write.
/// </summary>
public sealed class BatcherStatus
{
    private long _pendingBytes;
    private long _nextBlock = 1;
    private long _lastPosted = -1;
    private long _lastConfirmed = -1;
    private long _inFlight;
    private double _daLatencyMs;
    private double _bytesPerSecond;
    private long _failedOverSinceTicks;
    private long _batches;
    private long _calldataBatches;
    private long _reconciliations;
    private long _reconciledAtTicks;
    private long _batchesReposted;
    private long _repostsPending;
    private LastErrorText? _lastError;
    private volatile string? _reconcileReason;
    private volatile BatcherPhase _phase = BatcherPhase.Starting;

    /// <summary>Raw bytes taken into the open batch plus batch bytes posted but not yet confirmed on L1.</summary>
    public long PendingBytes => Volatile.Read(ref _pendingBytes);

    /// <summary>First block not yet in any batch.</summary>
    public ulong NextBlock => (ulong)Volatile.Read(ref _nextBlock);

    /// <summary>Index of the last batch handed to L1 (or to the journal with L1 off); -1 before the first.</summary>
    public long LastBatchPosted => Volatile.Read(ref _lastPosted);

    /// <summary>Index of the last batch confirmed on L1; -1 before the first.</summary>
    public long LastBatchConfirmed => Volatile.Read(ref _lastConfirmed);

    public long PostsInFlight => Volatile.Read(ref _inFlight);

    /// <summary>Duration of the last successful DA put, in milliseconds.</summary>
    public double DaLatencyMs => Volatile.Read(ref _daLatencyMs);

    /// <summary>Raw transaction bytes batched per second, smoothed over recent batches.</summary>
    public double BytesPerSecond => Volatile.Read(ref _bytesPerSecond);

    /// <summary>True while batches go to L1 calldata because DA is down.</summary>
    public bool FailedOver => Volatile.Read(ref _failedOverSinceTicks) != 0;

    public DateTimeOffset? FailedOverSince => Moment(Volatile.Read(ref _failedOverSinceTicks));

    public long Batches => Volatile.Read(ref _batches);

    public long CalldataBatches => Volatile.Read(ref _calldataBatches);

    public BatcherPhase Phase => _phase;

    /// <summary>"starting", "running", "reconciling" (with L1, which disagrees with the batcher's records), "stopped", "faulted" or "disabled".</summary>
    public string State => _phase.Name();

    /// <summary>The last error, prefixed "DA: " or "L1: " when it came from there; null once its source recovered.</summary>
    public string? LastError => Volatile.Read(ref _lastError)?.Text;

    /// <summary>Where <see cref="LastError"/> came from (null without one).</summary>
    public BatcherErrorSource? LastErrorSource => Volatile.Read(ref _lastError)?.Source;

    /// <summary>Reconciliations with the inbox that changed something (L1 had lost or refused posts).</summary>
    public long Reconciliations => Volatile.Read(ref _reconciliations);

    /// <summary>What L1 disagreed about the last time and what the batcher did about it (null until it first did).</summary>
    public string? ReconcileReason => _reconcileReason;

    public DateTimeOffset? ReconciledAt => Moment(Volatile.Read(ref _reconciledAtTicks));

    /// <summary>Batches posted again because L1 lost them.</summary>
    public long BatchesReposted => Volatile.Read(ref _batchesReposted);

    /// <summary>Lost batches still waiting to be posted again.</summary>
    public long RepostsPending => Volatile.Read(ref _repostsPending);

    /// <summary>A plain copy for JSON (sequencer_getStatus).</summary>
    public BatcherStatusSnapshot Snapshot() => new(State, NextBlock, PendingBytes, LastBatchPosted, LastBatchConfirmed, PostsInFlight,
        DaLatencyMs, BytesPerSecond, FailedOver, FailedOverSince, Batches, CalldataBatches, LastError,
        Reconciliations, ReconcileReason, ReconciledAt, BatchesReposted, RepostsPending);

    internal void SetPhase(BatcherPhase phase) => _phase = phase;

    private static DateTimeOffset? Moment(long utcTicks) => utcTicks == 0 ? null : new DateTimeOffset(utcTicks, TimeSpan.Zero);

    internal void Reconciled(string reason, DateTimeOffset at)
    {
        _reconcileReason = reason;
        Volatile.Write(ref _reconciledAtTicks, at.UtcTicks);
        Interlocked.Increment(ref _reconciliations);
    }

    internal void SetReconcileReason(string reason) => _reconcileReason = reason;

    internal void Reposted() => Interlocked.Increment(ref _batchesReposted);

    internal void SetRepostsPending(int count) => Volatile.Write(ref _repostsPending, count);

    internal void SetError(BatcherErrorSource source, string message) => Volatile.Write(ref _lastError, new LastErrorText(source, source switch
    {
        BatcherErrorSource.Da => "DA: " + message,
        BatcherErrorSource.L1 => "L1: " + message,
        _ => message,
    }));

    /// <summary>Clears the last error if it came from <paramref name="source"/> (which has recovered).</summary>
    internal void ClearError(BatcherErrorSource source)
    {
        var current = Volatile.Read(ref _lastError);
        if (current?.Source == source)
        {
            Interlocked.CompareExchange(ref _lastError, null, current);
        }
    }

    /// <summary>Clears the last error whatever its source (a batch went to DA: every earlier trouble is over).</summary>
    internal void ClearError() => Volatile.Write(ref _lastError, null);

    private sealed record LastErrorText(BatcherErrorSource Source, string Text);

    internal void SetPendingBytes(long bytes) => Volatile.Write(ref _pendingBytes, bytes);

    internal void SetNextBlock(ulong block) => Volatile.Write(ref _nextBlock, (long)block);

    internal void SetInFlight(int count) => Volatile.Write(ref _inFlight, count);

    internal void Posted(ulong index, bool calldata)
    {
        Volatile.Write(ref _lastPosted, (long)index);
        Interlocked.Increment(ref _batches);
        if (calldata)
        {
            Interlocked.Increment(ref _calldataBatches);
        }
    }

    internal void Confirmed(ulong index) => Volatile.Write(ref _lastConfirmed, (long)index);

    /// <summary>Sets the last confirmed batch, also back (-1: none) when L1 lost confirmed batches.</summary>
    internal void SetConfirmed(long index) => Volatile.Write(ref _lastConfirmed, index);

    internal void SetDaLatency(double milliseconds) => Volatile.Write(ref _daLatencyMs, milliseconds);

    internal void SetThroughput(double bytesPerSecond) => Volatile.Write(ref _bytesPerSecond, bytesPerSecond);

    internal void SetFailedOver(DateTimeOffset? since) => Volatile.Write(ref _failedOverSinceTicks, since?.UtcTicks ?? 0);
}

/// <summary>What sequencer_getStatus shows under "batcher".</summary>
public sealed record BatcherStatusSnapshot(
    string State,
    ulong NextBlock,
    long PendingBytes,
    long LastBatchPosted,
    long LastBatchConfirmed,
    long PostsInFlight,
    double DaLatencyMs,
    double BytesPerSecond,
    bool FailedOver,
    DateTimeOffset? FailedOverSince,
    long Batches,
    long CalldataBatches,
    string? LastError,
    long Reconciliations,
    string? ReconcileReason,
    DateTimeOffset? ReconciledAt,
    long BatchesReposted,
    long RepostsPending);
