using System.Runtime.ExceptionServices;
using Primitives;
using Sequencer.Log;

namespace Sequencer.Sequencing;

/// <summary>Records read back from the log, with each one's transaction hash.</summary>
internal sealed class ReplayBatch(int capacity)
{
    public TxLogRecord[] Records { get; } = new TxLogRecord[capacity];

    public byte[][] Raws { get; } = new byte[capacity][];

    public Hash32[] Hashes { get; } = new Hash32[capacity];

    public int Count { get; set; }

    public bool IsFull => Count == Records.Length;
}

/// <summary>
/// The hand-off between the two halves of a replay (<see cref="ChainRecovery"/>): a reader thread reads the log, verifies
/// each record's frame and hashes its transaction; the recovering thread checks the accumulators and applies the
/// batches, in order, while the next one is read. A fixed
/// set of batches goes round, so the reader is never more than that far ahead.
/// </summary>
/// <remarks>
/// Errors keep the order of a replay on one thread: the reader's own failure (damage, a record out of place) is
/// rethrown by <see cref="Take"/> only after every batch read before it was applied, and the reader waits for every
/// batch to be applied (<see cref="WaitApplied"/>) before it may change the log (cut a torn write), so a bad record
/// found by the applier stops the start with the log untouched. If the applier fails, the reader's next wait throws
/// <see cref="ReplayAbandonedException"/> and it stops.
/// </remarks>
internal sealed class ReplayBatches
{
    private readonly object _gate = new();
    private readonly Queue<ReplayBatch> _read = new();
    private readonly Stack<ReplayBatch> _free = new();
    private int _applying;
    private bool _readerDone;
    private ExceptionDispatchInfo? _readerFailure;
    private bool _applierFailed;

    public ReplayBatches(int batches, int batchSize)
    {
        for (var i = 0; i < batches; i++)
        {
            _free.Push(new ReplayBatch(batchSize));
        }
    }

    // --- reader ---

    /// <summary>An empty batch to fill; waits while every batch is read and not yet applied.</summary>
    /// <exception cref="ReplayAbandonedException">The applier failed: stop reading.</exception>
    public ReplayBatch Rent()
    {
        lock (_gate)
        {
            while (_free.Count == 0 && !_applierFailed)
            {
                Monitor.Wait(_gate);
            }

            ThrowIfAbandoned();
            var batch = _free.Pop();
            batch.Count = 0;
            return batch;
        }
    }

    /// <summary>Hands a filled batch to the applier.</summary>
    public void Publish(ReplayBatch batch)
    {
        lock (_gate)
        {
            _read.Enqueue(batch);
            Monitor.PulseAll(_gate);
        }
    }

    /// <summary>Waits until every published batch has been applied.</summary>
    /// <exception cref="ReplayAbandonedException">The applier failed on one of them.</exception>
    public void WaitApplied()
    {
        lock (_gate)
        {
            while ((_read.Count > 0 || _applying > 0) && !_applierFailed)
            {
                Monitor.Wait(_gate);
            }

            ThrowIfAbandoned();
        }
    }

    /// <summary>The reader is done, successfully or with <paramref name="failure"/> (rethrown to the applier in order).</summary>
    public void Complete(Exception? failure)
    {
        lock (_gate)
        {
            _readerDone = true;
            _readerFailure = failure is null ? null : ExceptionDispatchInfo.Capture(failure);
            Monitor.PulseAll(_gate);
        }
    }

    // --- applier ---

    /// <summary>The next batch in log order; null once the reader completed and everything it read was taken.</summary>
    /// <remarks>Rethrows the reader's failure, once every batch read before it was taken.</remarks>
    public ReplayBatch? Take()
    {
        lock (_gate)
        {
            while (_read.Count == 0 && !_readerDone)
            {
                Monitor.Wait(_gate);
            }

            if (_read.Count > 0)
            {
                _applying++;
                return _read.Dequeue();
            }

            _readerFailure?.Throw();
            return null;
        }
    }

    /// <summary>The batch is applied: it may be filled again.</summary>
    public void Return(ReplayBatch batch)
    {
        lock (_gate)
        {
            _applying--;
            _free.Push(batch);
            Monitor.PulseAll(_gate);
        }
    }

    /// <summary>The applier stopped on an error: the reader stops at its next wait, before it changes anything.</summary>
    public void Abandon()
    {
        lock (_gate)
        {
            _applierFailed = true;
            Monitor.PulseAll(_gate);
        }
    }

    private void ThrowIfAbandoned()
    {
        if (_applierFailed)
        {
            throw new ReplayAbandonedException();
        }
    }
}

/// <summary>Thrown on the reader thread of a replay when the applier failed; never leaves <see cref="ChainRecovery"/>.</summary>
internal sealed class ReplayAbandonedException : Exception
{
    public ReplayAbandonedException()
        : base("the replay stopped: a record failed to apply")
    {
    }
}
