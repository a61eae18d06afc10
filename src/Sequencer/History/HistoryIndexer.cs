using Sequencer.Options;

namespace Sequencer.History;

/// <summary>
/// Background writer of the history index and of checkpoints. It follows the published blocks: whenever
/// <see cref="HistoryOptions.ChunkTransactions"/> transactions or half the byte bound wait to be indexed, or <see cref="HistoryOptions.CheckpointIntervalMs"/> passed,
/// it writes a chunk for the published blocks (re-reading their records from the log), lets the store drop what the
/// chunk covers, and writes a checkpoint at the chunk's end, then merges the small chunks at the end into one now and
/// then (<see cref="MergeRun"/>). At start it also checks every chunk's content checksum
/// and rebuilds a damaged one. Failures (a full disk) are logged and retried; they never stop sequencing.
/// </summary>
internal sealed partial class HistoryIndexer : IDisposable
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// The indexer starts this long after the host: right after a restart there are up to ChunkTransactions records
    /// to index and every chunk to check, work that would otherwise compete with the start itself.
    /// </summary>
    private static readonly TimeSpan StartDelay = TimeSpan.FromSeconds(3);

    /// <summary>
    /// Chunks are written every ChunkTransactions records, so that the checkpoint after each is never far behind and a
    /// restart replays little; the trailing run of chunks smaller than this many times that is merged into one chunk
    /// once it holds as many chunks or records, so that a lookup by hash, which probes every chunk, has few to probe.
    /// </summary>
    private const int MergeRun = 5;

    /// <summary>A merged-away chunk's file is deleted this long after the merge: a lookup may still be reading through it.</summary>
    private static readonly TimeSpan RetiredGrace = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The most a clean stop spends indexing what waits (<see cref="IndexAtStop"/>): normally at most ChunkTransactions
    /// records, a few tens of milliseconds; well inside the host's shutdown timeout whatever the backlog.
    /// </summary>
    private static readonly TimeSpan StopBudget = TimeSpan.FromSeconds(5);

    /// <summary>After a failed chunk write (a full disk), the pause before the next attempt, so the log is not flooded.</summary>
    private static readonly TimeSpan RetryPause = TimeSpan.FromSeconds(5);

    private readonly ChainStore _store;
    private readonly HistoryIndex _history;
    private readonly HistoryOptions _options;
    private readonly ulong _gasLimit;
    private readonly bool _fsync;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _loop;
    private long _lastChunkTicks = Environment.TickCount64;
    private long _checkpointSequence = -1;
    private int _chunksRebuilt;
    private readonly List<(string Path, long RetiredTicks)> _retired = [];

    public HistoryIndexer(ChainStore store, HistoryIndex history, HistoryOptions options, ulong gasLimit, bool fsync, long checkpointSequence, ILogger logger)
    {
        _store = store;
        _history = history;
        _options = options;
        _gasLimit = gasLimit;
        _fsync = fsync;
        _logger = logger;
        _checkpointSequence = checkpointSequence;
        _loop = Task.Factory.StartNew(RunAsync, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
    }

    public long ChunkRecords => _options.ChunkTransactions;

    public long ChunkBytes => Math.Max(1, _options.MaxBytes / 2);

    /// <summary>The sequence the last checkpoint written (or recovered from) resumes at; -1 if none.</summary>
    public long CheckpointSequence => Volatile.Read(ref _checkpointSequence);

    /// <summary>Chunks found damaged and rebuilt since start.</summary>
    public int ChunksRebuilt => Volatile.Read(ref _chunksRebuilt);

    /// <summary>True once the start-up check of every chunk's content is done.</summary>
    public bool Verified { get; private set; }

    /// <summary>Stops the background loop and waits for it (once; later calls return at once).</summary>
    public void Stop()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        _stopping.Cancel();
        try
        {
#pragma warning disable VSTHRD002 // The caller must see the loop stopped before it writes or deletes files; the loop needs no context of this thread.
            _loop.Wait();
#pragma warning restore VSTHRD002
        }
        catch (AggregateException)
        {
        }
    }

    /// <summary>
    /// At a clean stop, after the log and the publisher are closed (every durable block is published): writes the
    /// chunks and the checkpoint for every published block no chunk covers yet, so that the next start replays nothing
    /// (it otherwise replays up to <see cref="HistoryOptions.ChunkTransactions"/> records). The log stays the truth: a
    /// stop that fails here (a full disk), or a crash before it, only leaves more records to replay. Bounded by
    /// <see cref="StopBudget"/>; no merge (the next run's indexer merges). Returns the records it indexed.
    /// </summary>
    public long IndexAtStop()
    {
        Stop();
        var from = _history.IndexedEnd;
        var deadline = Environment.TickCount64 + (long)StopBudget.TotalMilliseconds;
        try
        {
            while (Environment.TickCount64 < deadline && IndexIfDue(atStop: true))
            {
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or Log.WalCorruptedException)
        {
            LogIndexFailed(ex);
        }

        return _history.IndexedEnd - from;
    }

    public void Dispose()
    {
        Stop();

        // The host stops serving before its services stop: no lookup can still be reading a merged-away chunk.
        foreach (var (path, _) in _retired)
        {
            try
            {
                File.Delete(path);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Left for the next start, which deletes chunks a merged one covers.
            }
        }

        _stopping.Dispose();
    }

    private async Task RunAsync()
    {
        try
        {
            await Task.Delay(StartDelay, _stopping.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        VerifyChunks();
        while (!_stopping.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(Poll, _stopping.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            try
            {
                IndexIfDue(atStop: false);
                DeleteRetired();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or Log.WalCorruptedException)
            {
                // Memory keeps what no chunk covers meanwhile; sequencing goes on.
                LogIndexFailed(ex);
                try
                {
                    await Task.Delay(RetryPause, _stopping.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>Writes the next chunk and a checkpoint after it when one is due (always at a stop); true if it wrote one.</summary>
    private bool IndexIfDue(bool atStop)
    {
        var latest = _store.LatestBlock;
        var limit = latest.FirstSequence + latest.TransactionCount;
        var waiting = limit - _history.IndexedEnd;
        if (waiting <= 0)
        {
            return false;
        }

        var due = atStop || waiting >= ChunkRecords || _store.UnindexedBytes >= ChunkBytes
            || Environment.TickCount64 - _lastChunkTicks >= _options.CheckpointIntervalMs;
        if (!due)
        {
            return false;
        }

        var (start, previous) = _history.NextStart();
        var build = HistoryChunkBuilder.Build(_history.WalDirectory, _history.Directory, start, previous, limit, ChunkRecords, ChunkBytes, _gasLimit, _fsync);
        if (build is null)
        {
            return false;
        }

        _history.Append(build.Chunk);
        _store.MarkIndexed(build.Bytes);
        _lastChunkTicks = Environment.TickCount64;
        new Checkpoint(build.End, build.LastBlock, _store.SnapshotLatestNonces()).Write(_history.Directory, _fsync);
        Volatile.Write(ref _checkpointSequence, build.End.Sequence);
        if (!atStop)
        {
            MergeTrailingRun();
        }

        return true;
    }

    /// <summary>
    /// Rebuilds the trailing run of small chunks from the log as one chunk (the same builder, so the same content as
    /// if it had been written at once) and puts it in their place. The checkpoint does not move: it is at the run's end.
    /// A crash before the small chunks' files are gone leaves both; the next start keeps the merged one (HistoryIndex.Open).
    /// </summary>
    private void MergeTrailingRun()
    {
        var chunks = _history.Chunks;
        var target = ChunkRecords * MergeRun;
        var first = chunks.Count;
        long records = 0;
        while (first > 0 && chunks[first - 1].End - chunks[first - 1].First < target)
        {
            first--;
            records += chunks[first].End - chunks[first].First;
        }

        var count = chunks.Count - first;
        if (count < 2 || (count < MergeRun && records < target))
        {
            return;
        }

        var start = first == 0 ? _history.NextStartOfEmpty() : chunks[first - 1].EndPosition;
        var previous = first == 0 ? _store.Genesis : chunks[first - 1].ReadLastBlock();
        var build = HistoryChunkBuilder.Build(_history.WalDirectory, _history.Directory, start, previous, chunks[^1].End, long.MaxValue, long.MaxValue, _gasLimit, _fsync)!;
        foreach (var replaced in _history.ReplaceRun(first, count, build.Chunk))
        {
            _retired.Add((replaced.Path, Environment.TickCount64));
        }
    }

    private void DeleteRetired()
    {
        var now = Environment.TickCount64;
        _retired.RemoveAll(retired =>
        {
            if (now - retired.RetiredTicks < (long)RetiredGrace.TotalMilliseconds)
            {
                return false;
            }

            File.Delete(retired.Path);
            return true;
        });
    }

    /// <summary>Checks every chunk's content checksum (the start only checked headers) and rebuilds damaged ones.</summary>
    private void VerifyChunks()
    {
        var chunks = _history.Chunks;
        for (var i = 0; i < chunks.Count && !_stopping.IsCancellationRequested; i++)
        {
            if (chunks[i].VerifyContent())
            {
                continue;
            }

            try
            {
                var start = i == 0 ? _history.NextStartOfEmpty() : chunks[i - 1].EndPosition;
                var previous = i == 0 ? _store.Genesis : chunks[i - 1].ReadLastBlock();
                var build = HistoryChunkBuilder.Build(_history.WalDirectory, _history.Directory, start, previous, chunks[i].End, long.MaxValue, long.MaxValue, _gasLimit, _fsync)!;
                _history.Replace(build.Chunk);
                Interlocked.Increment(ref _chunksRebuilt);
                LogChunkRebuilt(chunks[i].Path);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or Log.WalCorruptedException)
            {
                LogIndexFailed(ex);
            }
        }

        Verified = true;
    }

    [LoggerMessage(EventId = 40, Level = LogLevel.Warning, Message = "History index: a chunk could not be written; retrying")]
    private partial void LogIndexFailed(Exception exception);

    [LoggerMessage(EventId = 41, Level = LogLevel.Warning, Message = "History index: chunk {Path} was damaged and has been rebuilt from the log")]
    private partial void LogChunkRebuilt(string path);
}
