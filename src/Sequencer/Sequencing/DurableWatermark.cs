namespace Sequencer.Sequencing;

/// <summary>
/// The durable end of the core's log as waiters see it: a follower answers its leader's append once the records are
/// durable here (docs/replication.md). Few waiters (one per open append from the leader), so a list under a lock.
/// </summary>
internal sealed class DurableWatermark(long start)
{
    private readonly Lock _lock = new();
    private readonly List<(long End, TaskCompletionSource Done)> _waiters = [];
    private long _end = start;

    public long End
    {
        get
        {
            lock (_lock)
            {
                return _end;
            }
        }
    }

    public void Advance(long end)
    {
        List<TaskCompletionSource>? done = null;
        lock (_lock)
        {
            if (end <= _end)
            {
                return;
            }

            _end = end;
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].End <= end)
                {
                    (done ??= []).Add(_waiters[i].Done);
                    _waiters.RemoveAt(i);
                }
            }
        }

        done?.ForEach(d => d.TrySetResult());
    }

    /// <summary>Completes once sequences below <paramref name="end"/> are durable.</summary>
    public Task WaitAsync(long end, CancellationToken cancellationToken)
    {
        TaskCompletionSource done;
        lock (_lock)
        {
            if (end <= _end)
            {
                return Task.CompletedTask;
            }

            done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((end, done));
        }

        return done.Task.WaitAsync(cancellationToken);
    }
}
