using Sequencer.Log;

namespace Sequencer.Benchmarks;

/// <summary>
/// A log that is durable as soon as the writer commits: no disk, no flush thread, so a core benchmark measures the
/// core (queue, single writer, blocks, nonces, accumulator, durability publisher) and nothing of the WAL, which
/// <see cref="WalAppendBenchmarks"/> measures on its own.
/// </summary>
internal sealed class InMemoryTransactionLog(long nextSequence, Action<long> onDurable) : ITransactionLog
{
    private long _appended = nextSequence;
    private long _durable = nextSequence;
    private long _bytes;
    private long _commits;

    public long DurableEndSequence => Volatile.Read(ref _durable);

    public long FsyncCount => _commits;

    public long BytesWritten => _bytes;

    public TimeSpan LastFsyncDuration => TimeSpan.Zero;

    public Exception? Failure => null;

    public string Directory => "memory";

    public void Append(in TxLogRecord record, ReadOnlySpan<byte> raw)
    {
        _appended++;
        _bytes += raw.Length;
    }

    public void Commit()
    {
        if (_appended == _durable)
        {
            return;
        }

        _commits++;
        Volatile.Write(ref _durable, _appended);
        onDurable(_appended);
    }

    public void Dispose()
    {
    }
}
