using Primitives.Chain;

namespace Sequencer.Execution;

/// <summary>
/// Feeds sealed blocks to the execution backend, one at a time, in order. The resume point always comes
/// from the node (its head), never from local memory: after a sequencer restart, or after the node lost
/// blocks in a crash and came back from an older state, execution continues right after what the node
/// actually holds, so no block is executed twice or skipped.
/// </summary>
internal sealed partial class ExecutionFollower : BackgroundService
{
    private readonly ISealedBlockSource _source;
    private readonly IExecutionBackend _backend;
    private readonly ExecutionMetrics _metrics;
    private readonly TimeSpan _retryDelay;
    private readonly ILogger<ExecutionFollower> _logger;
    private long _lastExecuted;
    private volatile bool _resumePointKnown;
    private volatile bool _nodeReachable;
    private volatile string? _failure;
    private TaskCompletionSource _advanced = NewSignal();
    private readonly TaskCompletionSource _resumePointLearned = NewSignal();
    private long _blocksLostByNode;
    private string? _lastLoggedProblem;
    private long _lastLoggedAt;

    public ExecutionFollower(ISealedBlockSource source, IExecutionBackend backend, ExecutionMetrics metrics, TimeSpan retryDelay, ILogger<ExecutionFollower> logger)
    {
        _source = source;
        _backend = backend;
        _metrics = metrics;
        _retryDelay = retryDelay;
        _logger = logger;
        _metrics.ObserveHeights(() => Volatile.Read(ref _lastExecuted), () => (long)_source.LatestSealedNumber - Volatile.Read(ref _lastExecuted));
    }

    /// <summary>The last sequencer block the node is known to have executed (0 until the node has been asked).</summary>
    public ulong LastExecuted => (ulong)Volatile.Read(ref _lastExecuted);

    /// <summary>True once the node has told us its head.</summary>
    public bool ResumePointKnown => _resumePointKnown;

    public bool NodeReachable => _nodeReachable;

    /// <summary>Executed blocks the node has lost since start (it came back from an older state) and that were executed again.</summary>
    public long BlocksLostByNode => Interlocked.Read(ref _blocksLostByNode);

    /// <summary>Why execution stopped for good (a divergence), or null while it runs.</summary>
    public string? Failure => _failure;

    /// <summary>Completes once the node has told us its head for the first time.</summary>
    public Task ResumePointLearned => _resumePointLearned.Task;

    /// <summary>Completes once block <paramref name="number"/> is executed.</summary>
    public async ValueTask WaitForExecutedAsync(ulong number, CancellationToken cancellationToken)
    {
        while (LastExecuted < number)
        {
            var signal = Volatile.Read(ref _advanced);
            if (LastExecuted >= number)
            {
                return;
            }

            if (_failure is not null)
            {
                throw new ExecutionDivergedException(_failure);
            }

            await signal.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Let the host finish starting; the chain store is recovered before this service starts.
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var last = await _backend.GetLastExecutedAsync(stoppingToken).ConfigureAwait(false);
                if (last > _source.LatestSealedNumber)
                {
                    throw new ExecutionDivergedException(
                        $"the execution node is at sequencer block {last} but the sequencer has sealed only up to {_source.LatestSealedNumber}: it runs another chain");
                }

                if (_resumePointKnown && last < LastExecuted)
                {
                    Interlocked.Add(ref _blocksLostByNode, (long)(LastExecuted - last));
                    LogNodeLostBlocks(last + 1, LastExecuted);
                }

                if (!_nodeReachable || !_resumePointKnown || last != LastExecuted)
                {
                    LogResuming(last, _source.LatestSealedNumber);
                }

                _nodeReachable = true;
                MarkExecuted(last);
                _resumePointKnown = true;
                _resumePointLearned.TrySetResult();
                await FollowAsync(last + 1, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (ExecutionDivergedException ex)
            {
                _failure = ex.Message;
                _metrics.Diverged();
                LogDiverged(ex.Message);
                Volatile.Read(ref _advanced).TrySetResult();
                return;
            }
            catch (ExecutionResumePointMovedException ex)
            {
                LogResumePointMoved(ex.Message);
            }
            catch (Exception ex) when (ex is ExecutionNodeUnavailableException or ExecutionNodeErrorException)
            {
                _metrics.NodeError("follower");
                // Retries come every RetryDelayMs: log a problem when it changes, and then every 30 s.
                if (ex.Message != _lastLoggedProblem || TimeProvider.System.GetElapsedTime(_lastLoggedAt) > TimeSpan.FromSeconds(30))
                {
                    LogNodeUnavailable(ex.Message);
                    _lastLoggedProblem = ex.Message;
                    _lastLoggedAt = TimeProvider.System.GetTimestamp();
                }

                _nodeReachable = false;
                await Task.Delay(_retryDelay, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    private async Task FollowAsync(ulong next, CancellationToken stoppingToken)
    {
        while (true)
        {
            await _source.WaitForSealedBlockAsync(next, stoppingToken).ConfigureAwait(false);
            var block = _source.GetSealedBlock(next) ?? throw new InvalidOperationException($"sealed block {next} vanished");
            await _backend.ExecuteAsync(block, stoppingToken).ConfigureAwait(false);
            _metrics.BlockExecuted(block.Transactions.Count);
            MarkExecuted(next);
            next++;
        }
    }

    private void MarkExecuted(ulong number)
    {
        Volatile.Write(ref _lastExecuted, (long)number);
        var signal = Interlocked.Exchange(ref _advanced, NewSignal());
        signal.TrySetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    [LoggerMessage(EventId = 610, Level = LogLevel.Information, Message = "Execution resumes after sequencer block {Executed} (the node's head); sealed up to {SealedUpTo}")]
    private partial void LogResuming(ulong executed, ulong sealedUpTo);

    [LoggerMessage(EventId = 614, Level = LogLevel.Warning, Message = "The execution node lost blocks {From}..{To} (it restarted from an older state); executing them again")]
    private partial void LogNodeLostBlocks(ulong from, ulong to);

    [LoggerMessage(EventId = 611, Level = LogLevel.Critical, Message = "Execution stopped: the execution node diverged from the sequencer: {Reason}")]
    private partial void LogDiverged(string reason);

    [LoggerMessage(EventId = 612, Level = LogLevel.Warning, Message = "Execution node unavailable, retrying: {Reason}")]
    private partial void LogNodeUnavailable(string reason);

    [LoggerMessage(EventId = 613, Level = LogLevel.Warning, Message = "Execution resume point moved, asking the node again: {Reason}")]
    private partial void LogResumePointMoved(string reason);
}
