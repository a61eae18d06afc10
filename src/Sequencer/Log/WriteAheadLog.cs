using System.Diagnostics;
using Microsoft.Win32.SafeHandles;
using Primitives.Storage;

namespace Sequencer.Log;

/// <summary>
/// Append-only, segmented log with group commit. The single writer appends records into a private
/// buffer and calls <see cref="Commit"/> after each group; a dedicated flusher thread writes whatever
/// was committed since its last fsync and makes it durable with one fsync, then reports the new
/// durable watermark. While one fsync runs, the writer keeps sequencing the next group.
/// </summary>
/// <remarks>
/// A write or fsync that fails (disk full, I/O error) does not lose its records: they stay with the flusher, which
/// reports the failure once and tries again every <see cref="RetryInterval"/> (with whatever was committed meanwhile)
/// until it succeeds, then clears the failure. Each retry first cuts whatever the failed attempt left past the durable
/// end and writes the whole group again, so it never relies on an fsync that once failed (after a failed fsync the
/// kernel may have dropped the dirty pages).
/// </remarks>
internal sealed class WriteAheadLog : ITransactionLog
{
    /// <summary>Pause between attempts to write a group whose write or fsync failed.</summary>
    public static readonly TimeSpan RetryInterval = TimeSpan.FromMilliseconds(500);

    private readonly string _directory;
    private readonly long _segmentBytes;
    private readonly bool _fsync;
    private readonly Action<long> _onDurable;
    private readonly Action<Exception> _onFailure;
    private readonly Action? _onRecovered;
    private readonly object _gate = new(); // Monitor.Wait/Pulse need an object, not a Lock.
    private readonly Thread _flusher;

    // Writer-owned: records appended since the last Commit.
    private GrowableBuffer _writing = new(1 << 20);
    private long _writingFirstSequence = -1;
    private long _writingEndSequence;

    // Guarded by _gate: committed bytes the flusher has not taken yet.
    private GrowableBuffer _pending = new(1 << 20);
    private long _pendingFirstSequence = -1;
    private long _pendingEndSequence;
    private bool _stopping;

    // Flusher-owned.
    private GrowableBuffer _flushing = new(1 << 20);
    private SafeFileHandle? _segment;
    private long _segmentLength;
    private bool _tailDirty;

    private long _durableEndSequence;
    private long _fsyncCount;
    private long _bytesWritten;
    private long _lastFsyncTicks;
    private volatile Exception? _failure;

    /// <param name="directory">Where the segments are.</param>
    /// <param name="segmentBytes">A new segment starts when a write would take the current one past this.</param>
    /// <param name="fsync">False only for throwaway benchmarks.</param>
    /// <param name="nextSequence">The sequence of the next record (where recovery left off).</param>
    /// <param name="onDurable">Called on the flusher thread with the new durable end after each fsync.</param>
    /// <param name="onFailure">Called once when a write or fsync fails; the records wait for a retry.</param>
    /// <param name="onRecovered">Called once a retry succeeded (before <paramref name="onDurable"/>).</param>
    public WriteAheadLog(
        string directory, long segmentBytes, bool fsync, long nextSequence, Action<long> onDurable, Action<Exception> onFailure, Action? onRecovered = null)
    {
        _directory = directory;
        _segmentBytes = segmentBytes;
        _fsync = fsync;
        _onDurable = onDurable;
        _onFailure = onFailure;
        _onRecovered = onRecovered;
        _durableEndSequence = nextSequence;
        _writingEndSequence = nextSequence;
        OpenTail(nextSequence);
        _flusher = new Thread(FlushLoop) { IsBackground = true, Name = "wal-flusher" };
        _flusher.Start();
    }

    /// <summary>Sequence numbers below this are on disk and fsynced.</summary>
    public long DurableEndSequence => Volatile.Read(ref _durableEndSequence);

    public long FsyncCount => Volatile.Read(ref _fsyncCount);

    public long BytesWritten => Volatile.Read(ref _bytesWritten);

    public TimeSpan LastFsyncDuration => TimeSpan.FromTicks(Volatile.Read(ref _lastFsyncTicks));

    /// <summary>The error of the last failed write while its records wait for a retry; null when the log is writable.</summary>
    public Exception? Failure => _failure;

    public string Directory => _directory;

    /// <summary>Writer thread only. Records must come in sequence order without gaps.</summary>
    public void Append(in TxLogRecord record, ReadOnlySpan<byte> raw)
    {
        Debug.Assert(record.Sequence == _writingEndSequence, "records are appended in sequence order");
        var length = record.FramedLengthWith(raw.Length);
        record.WriteFramed(raw, _writing.GetSpan(length));
        _writing.Advance(length);
        if (_writingFirstSequence < 0)
        {
            _writingFirstSequence = record.Sequence;
        }

        _writingEndSequence = record.Sequence + 1;
    }

    /// <summary>Writer thread only: hands everything appended so far to the flusher.</summary>
    public void Commit()
    {
        if (_writing.Length == 0)
        {
            return;
        }

        lock (_gate)
        {
            if (_pending.Length == 0)
            {
                (_pending, _writing) = (_writing, _pending);
                _pendingFirstSequence = _writingFirstSequence;
            }
            else
            {
                // The flusher is still busy with an earlier group: this one joins the next fsync.
                _writing.WrittenSpan.CopyTo(_pending.GetSpan(_writing.Length));
                _pending.Advance(_writing.Length);
                _writing.Clear();
            }

            _pendingEndSequence = _writingEndSequence;
            _writingFirstSequence = -1;
            Monitor.Pulse(_gate);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _stopping = true;
            Monitor.Pulse(_gate);
        }

        _flusher.Join();
        _segment?.Dispose();
    }

    private void FlushLoop()
    {
        long first = -1, end = 0;
        while (true)
        {
            lock (_gate)
            {
                if (_failure is null)
                {
                    while (_pending.Length == 0 && !_stopping)
                    {
                        Monitor.Wait(_gate);
                    }

                    if (_pending.Length == 0)
                    {
                        return;
                    }

                    (_flushing, _pending) = (_pending, _flushing);
                    first = _pendingFirstSequence;
                    end = _pendingEndSequence;
                }
                else
                {
                    WaitForRetry();
                    if (_pending.Length > 0)
                    {
                        // Committed while the failed group waited: it goes out in the same write.
                        _pending.WrittenSpan.CopyTo(_flushing.GetSpan(_pending.Length));
                        _flushing.Advance(_pending.Length);
                        _pending.Clear();
                        end = _pendingEndSequence;
                    }
                }
            }

            try
            {
                WriteDurably(first);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Nothing after this point can be confirmed until a retry succeeds; the core turns new requests away.
                _tailDirty = true;
                var firstFailure = _failure is null;
                _failure = ex;
                if (firstFailure)
                {
                    _onFailure(ex);
                }

                lock (_gate)
                {
                    if (_stopping)
                    {
                        return; // That was the last attempt: what is left was never durable, so never confirmed.
                    }
                }

                continue;
            }

            Volatile.Write(ref _durableEndSequence, end);
            _flushing.Clear();
            if (_failure is not null)
            {
                _failure = null;
                _onRecovered?.Invoke();
            }

            _onDurable(end);
        }
    }

    /// <summary>Under <see cref="_gate"/>: waits <see cref="RetryInterval"/>, or less when the log is being disposed.</summary>
    private void WaitForRetry()
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(RetryInterval.TotalSeconds * Stopwatch.Frequency);
        while (!_stopping)
        {
            var left = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), deadline);
            if (left <= TimeSpan.Zero)
            {
                return;
            }

            Monitor.Wait(_gate, left);
        }
    }

    private void WriteDurably(long firstSequence)
    {
        if (_tailDirty)
        {
            // A failed attempt may have left part of the group past the durable end. Cut it first, so that neither a
            // retry that moves on to a new segment nor a crash leaves it behind as damage in the middle of the log.
            RandomAccess.SetLength(_segment!, _segmentLength);
            if (_fsync)
            {
                RandomAccess.FlushToDisk(_segment!);
            }

            _tailDirty = false;
        }

        if (_segmentLength > 0 && _segmentLength + _flushing.Length > _segmentBytes)
        {
            var next = CreateSegment(firstSequence);
            _segment!.Dispose();
            _segment = next;
            _segmentLength = 0;
        }

        WalFrame.Seal(_flushing.WrittenSpan, _segmentLength + _flushing.Length);
        RandomAccess.Write(_segment!, _flushing.WrittenSpan, _segmentLength);
        if (_fsync)
        {
            var started = Stopwatch.GetTimestamp();
            RandomAccess.FlushToDisk(_segment!);
            Volatile.Write(ref _lastFsyncTicks, Stopwatch.GetElapsedTime(started).Ticks);
        }

        _segmentLength += _flushing.Length;
        Interlocked.Add(ref _bytesWritten, _flushing.Length);
        Interlocked.Increment(ref _fsyncCount);
    }

    private void OpenTail(long nextSequence)
    {
        System.IO.Directory.CreateDirectory(_directory);
        var segments = WalSegments.List(_directory);
        if (segments.Count > 0)
        {
            var (_, path) = segments[^1];
            var length = new FileInfo(path).Length;
            if (length < _segmentBytes)
            {
                _segment = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read);
                _segmentLength = length;
                return;
            }
        }

        _segment = CreateSegment(nextSequence);
        _segmentLength = 0;
    }

    private SafeFileHandle CreateSegment(long firstSequence)
    {
        // OpenOrCreate, not CreateNew: an attempt that failed after creating the file (full disk at the directory
        // fsync) leaves it empty, and the retry must be able to take it over.
        var handle = File.OpenHandle(WalSegments.PathFor(_directory, firstSequence), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
        try
        {
            if (RandomAccess.GetLength(handle) != 0)
            {
                throw new IOException($"write-ahead log segment {WalSegments.PathFor(_directory, firstSequence)} already exists and is not empty");
            }

            if (_fsync)
            {
                DirectorySync.Flush(_directory);
            }

            return handle;
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }
}
