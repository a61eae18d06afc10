using Sequencer.Log;

namespace Sequencer.Tests.Sequencing;

/// <summary>Where a failing <see cref="MemoryTransactionLog"/> fails: before the bytes are written, or at the fsync after.</summary>
public enum LogFault
{
    Write,
    Fsync,
}

/// <summary>
/// The core's log in memory, for tests of the core: each <see cref="Commit"/> is one group commit, made durable at
/// once on the committing thread (the writer's) unless the test made the log fail. A failing log behaves as
/// <see cref="WriteAheadLog"/> does: it reports the failure once, keeps the records, and on the retry
/// (<see cref="Heal"/>, where the real log retries on a timer) cuts what a failed fsync left and writes the whole
/// group again. <see cref="StallAppends"/> holds the single writer inside its next append.
/// </summary>
internal sealed class MemoryTransactionLog(long nextSequence, Action<long> onDurable, Action<Exception> onFailure, Action onRecovered) : ITransactionLog
{
    private readonly Lock _gate = new();
    private readonly List<(TxLogRecord Record, byte[] Raw)> _durable = [];
    private readonly List<(TxLogRecord Record, byte[] Raw)> _pending = [];
    private readonly List<(TxLogRecord Record, byte[] Raw)> _writtenNotDurable = [];
    private long _durableEnd = nextSequence;
    private long _fsyncs;
    private volatile Exception? _failure;
    private Exception? _fault;
    private LogFault _faultAt;
    private ManualResetEventSlim? _stall;
    private TaskCompletionSource? _stalled;

    public long DurableEndSequence => Volatile.Read(ref _durableEnd);

    public long FsyncCount => Volatile.Read(ref _fsyncs);

    public long BytesWritten => 0;

    public TimeSpan LastFsyncDuration => TimeSpan.Zero;

    public Exception? Failure => _failure;

    public string Directory => "memory";

    /// <summary>The records made durable, in order.</summary>
    public IReadOnlyList<TxLogRecord> DurableRecords
    {
        get
        {
            lock (_gate)
            {
                return _durable.Select(r => r.Record).ToList();
            }
        }
    }

    /// <summary>Records written by an attempt whose fsync then failed (what the retry must cut and write again).</summary>
    public int WrittenNotDurable
    {
        get
        {
            lock (_gate)
            {
                return _writtenNotDurable.Count;
            }
        }
    }

    public bool Disposed { get; private set; }

    /// <summary>From now on every group commit fails at <paramref name="at"/> with <paramref name="fault"/>.</summary>
    public void Fail(Exception fault, LogFault at)
    {
        lock (_gate)
        {
            _fault = fault;
            _faultAt = at;
        }
    }

    /// <summary>The fault is gone: the retry writes everything waiting, as the real log's next retry would.</summary>
    public void Heal()
    {
        lock (_gate)
        {
            _fault = null;
            Flush();
        }
    }

    /// <summary>The writer's next <see cref="Append"/> waits until the returned stall is set; the task completes once it waits.</summary>
    public Task StallAppends(out ManualResetEventSlim release)
    {
        release = new ManualResetEventSlim(false);
        _stalled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _stall, release);
        return _stalled.Task;
    }

    public void Append(in TxLogRecord record, ReadOnlySpan<byte> raw)
    {
        if (Interlocked.Exchange(ref _stall, null) is { } stall)
        {
            _stalled!.TrySetResult();
            stall.Wait();
        }

        lock (_gate)
        {
            _pending.Add((record, raw.ToArray()));
        }
    }

    public void Commit()
    {
        lock (_gate)
        {
            Flush();
        }
    }

    public void Dispose()
    {
        // The real log makes a last attempt at what is committed; so does this one (a failing one fails again).
        lock (_gate)
        {
            Flush();
            Disposed = true;
        }
    }

    /// <summary>Under <see cref="_gate"/>: one group commit of everything waiting.</summary>
    private void Flush()
    {
        if (_pending.Count == 0)
        {
            return;
        }

        // A retry first cuts what a failed attempt left past the durable end.
        _writtenNotDurable.Clear();
        if (_fault is not null)
        {
            if (_faultAt == LogFault.Fsync)
            {
                _writtenNotDurable.AddRange(_pending);
            }

            var first = _failure is null;
            _failure = _fault;
            if (first)
            {
                onFailure(_fault);
            }

            return;
        }

        _durable.AddRange(_pending);
        var end = _pending[^1].Record.Sequence + 1;
        _pending.Clear();
        Volatile.Write(ref _durableEnd, end);
        Interlocked.Increment(ref _fsyncs);
        if (_failure is not null)
        {
            _failure = null;
            onRecovered();
        }

        onDurable(end);
    }
}
