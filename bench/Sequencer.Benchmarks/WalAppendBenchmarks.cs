using BenchmarkDotNet.Attributes;
using Primitives;
using Sequencer.Log;
using Sequencer.Options;

namespace Sequencer.Benchmarks;

/// <summary>
/// One group commit of the write-ahead log, as the core does it: append N records on the writer thread, commit,
/// and wait until the flusher thread reports them durable (one write, then one fsync when Fsync is true).
/// The log lives in a directory under the system temp path (the disk the data directory would be on here); a run
/// writes a few GB there, removed at the end (no per-iteration cleanup: BenchmarkDotNet would then invoke once per iteration).
/// </summary>
[MemoryDiagnoser]
public class WalAppendBenchmarks : IDisposable
{
    private static readonly long SegmentBytes = new WalOptions().SegmentBytes;

    private readonly byte[] _raw = SampleTransactions.Erc20Transfer(7);
    private readonly Address _sender = new(new byte[Address.Length]);
    private readonly Hash32 _accumulator = new(new byte[Hash32.Length]);
    private readonly ManualResetEventSlim _durable = new();
    private string _directory = "";
    private WriteAheadLog? _log;
    private long _next;

    /// <summary>Records per group commit.</summary>
    [Params(1, 64)]
    public int Records { get; set; }

    /// <summary>False: the write reaches the page cache only (what Sequencer:Wal:Fsync=false does).</summary>
    [Params(true, false)]
    public bool Fsync { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _directory = Path.Combine(Path.GetTempPath(), "wal-bench-" + Guid.NewGuid().ToString("N"));
        _next = 0;
        // A failed write wakes the benchmark too, which then stops with the log's error instead of waiting forever.
        _log = new WriteAheadLog(_directory, SegmentBytes, Fsync, 0, _ => _durable.Set(), _ => _durable.Set());
    }

    [Benchmark]
    public long AppendGroupUntilDurable()
    {
        var log = _log!;
        var end = _next + Records;
        for (var sequence = _next; sequence < end; sequence++)
        {
            log.Append(new TxLogRecord(sequence, 1, (uint)(sequence - _next), 1_700_000_000, (ulong)sequence, 60_000, _sender, _accumulator), _raw);
        }

        _next = end;
        _durable.Reset();
        log.Commit();
        while (log.DurableEndSequence < end)
        {
            if (log.Failure is { } failure)
            {
                throw new InvalidOperationException("write-ahead log failed", failure);
            }

            _durable.Wait();
            _durable.Reset();
        }

        return end;
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _log?.Dispose();
        _durable.Dispose();
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
