using DaClient.Local;
using System.Diagnostics;
using Microsoft.Win32.SafeHandles;

namespace Sequencer.Log;

/// <summary>
/// Append-only, segmented log with group commit. The single writer appends records into a private
/// buffer and calls <see cref="Commit"/> after each group; a dedicated flusher thread writes whatever
/// was committed since its last fsync and makes it durable with one fsync, then reports the new
/// durable watermark. While one fsync runs, the writer keeps sequencing the next group.
/// </summary>
internal sealed class WriteAheadLog : IDisposable
{
    private readonly string _directory;
    private readonly long _segmentBytes;
    private readonly bool _fsync;
    private readonly Action<long> _onDurable;
    private readonly Action<Exception> _onFailure;
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

    private long _durableEndSequence;
    private long _fsyncCount;
    private long _bytesWritten;
    private long _lastFsyncTicks;
    private volatile Exception? _failure;

    public WriteAheadLog(string directory, long segmentBytes, bool fsync, long nextSequence, Action<long> onDurable, Action<Exception> onFailure)
    {
        _directory = directory;
        _segmentBytes = segmentBytes;
        _fsync = fsync;
        _onDurable = onDurable;
        _onFailure = onFailure;
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

    public Exception? Failure => _failure;

    public string Directory => _directory;

    /// <summary>Writer thread only. Records must come in sequence order without gaps.</summary>
    public void Append(in TxLogRecord record, ReadOnlySpan<byte> raw)
    {
        Debug.Assert(record.Sequence == _writingEndSequence, "records are appended in sequence order");
        var length = TxLogRecord.FramedLength(raw.Length);
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
        while (true)
        {
            long first, end;
            lock (_gate)
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

            if (_failure is not null)
            {
                _flushing.Clear();
                continue;
            }

            try
            {
                WriteDurably(first);
                Volatile.Write(ref _durableEndSequence, end);
                _flushing.Clear();
                _onDurable(end);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Nothing after this point can be confirmed; the core turns every request away.
                _failure = ex;
                _flushing.Clear();
                _onFailure(ex);
            }
        }
    }

    private void WriteDurably(long firstSequence)
    {
        if (_segmentLength > 0 && _segmentLength + _flushing.Length > _segmentBytes)
        {
            _segment!.Dispose();
            _segment = CreateSegment(firstSequence);
            _segmentLength = 0;
        }

        RandomAccess.Write(_segment!, _flushing.WrittenSpan, _segmentLength);
        _segmentLength += _flushing.Length;
        Interlocked.Add(ref _bytesWritten, _flushing.Length);
        if (_fsync)
        {
            var started = Stopwatch.GetTimestamp();
            RandomAccess.FlushToDisk(_segment!);
            Volatile.Write(ref _lastFsyncTicks, Stopwatch.GetElapsedTime(started).Ticks);
        }

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
        var handle = File.OpenHandle(WalSegments.PathFor(_directory, firstSequence), FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read);
        if (_fsync)
        {
            DirectorySync.Flush(_directory);
        }

        return handle;
    }
}
