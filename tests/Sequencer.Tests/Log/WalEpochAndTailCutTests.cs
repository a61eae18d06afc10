using Primitives;
using Sequencer.Log;

namespace Sequencer.Tests.Log;

/// <summary>Epochs in the log's records (kind 2; kind 1 reads as epoch 0) and the cut of a deposed leader's tail.</summary>
public sealed class WalEpochAndTailCutTests : IDisposable
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "seq-wal-epoch-" + Guid.NewGuid().ToString("N"));

    private string Wal => Path.Combine(_data, "wal");

    public void Dispose()
    {
        if (Directory.Exists(_data))
        {
            Directory.Delete(_data, recursive: true);
        }
    }

    [Fact]
    public void Records_keep_their_epoch_through_the_log_and_a_record_without_one_is_written_exactly_as_before()
    {
        var raws = Enumerable.Range(0, 6).Select(i => new byte[] { 0x02, (byte)(i + 1), 0x7f }).ToArray();
        long[] epochs = [0, 0, 7, 7, 12, 12];
        Write(raws, epochs);

        var read = new List<(long Sequence, long Epoch, byte[] Raw)>();
        var report = WalRecovery.Replay(Wal, (in TxLogRecord record, ReadOnlySpan<byte> raw) => read.Add((record.Sequence, record.Epoch, raw.ToArray())));

        Assert.Equal(6, report.Records);
        Assert.Equal(epochs, read.Select(r => r.Epoch));
        Assert.Equal(raws, read.Select(r => r.Raw));

        // Epoch 0 is the single node's record, byte for byte what the log wrote before epochs existed (kind 1).
        var legacy = new byte[TxLogRecord.FramedLength(raws[0].Length)];
        TestLogWriter.RecordFor(0).WriteFramed(raws[0], legacy);
        var onDisk = File.ReadAllBytes(WalSegments.List(Wal)[0].Path);
        Assert.Equal(legacy.AsSpan(WalFrame.HeaderBytes).ToArray(), onDisk.AsSpan(WalFrame.HeaderBytes, legacy.Length - WalFrame.HeaderBytes).ToArray());
        Assert.Equal(TxLogRecord.Kind, onDisk[WalFrame.HeaderBytes]);
    }

    [Fact]
    public void A_record_of_the_epoch_kind_with_epoch_zero_does_not_read_back()
    {
        var payload = new byte[TxLogRecord.EpochPayloadBytes + 1];
        (TestLogWriter.RecordFor(3) with { Epoch = 5 }).WritePayload([1], payload);
        Assert.True(TxLogRecord.TryRead(payload, out var record, out _));
        Assert.Equal(5, record.Epoch);

        payload.AsSpan(TxLogRecord.FixedPayloadBytes, 8).Clear();

        Assert.False(TxLogRecord.TryRead(payload, out _, out _));
    }

    [Fact]
    public void A_requested_tail_cut_moves_the_records_from_its_sequence_aside_and_the_log_replays_up_to_it()
    {
        var raws = Enumerable.Range(0, 40).Select(i => new byte[] { 0x02, (byte)(i + 1), 0x55, 0x66 }).ToArray();

        // Small segments: the cut falls inside one and later segments exist.
        Write(raws, Enumerable.Repeat(4L, raws.Length).ToArray(), segmentBytes: 1024);
        Assert.True(WalSegments.List(Wal).Count > 2);
        WalTailCut.Request(_data, 25, 9);
        long? before = null;

        var cut = WalTailCut.ApplyPending(_data, Wal, from => before = from);

        Assert.NotNull(cut);
        Assert.Equal(25, before);
        Assert.Equal(15, cut.Records);
        Assert.False(WalTailCut.IsPending(_data));
        var sequences = new List<long>();
        WalRecovery.Replay(Wal, (in TxLogRecord record, ReadOnlySpan<byte> _) => sequences.Add(record.Sequence));
        Assert.Equal(Enumerable.Range(0, 25).Select(i => (long)i), sequences);

        // Nothing is deleted: the cut bytes hold exactly the 15 records.
        var aside = Directory.GetFiles(cut.MovedAside!);
        var kept = aside.Sum(path => new FileInfo(path).Length);
        Assert.Equal(raws.Skip(25).Sum(raw => TxLogRecord.FramedLength(raw.Length) + 8), kept);

        // Already applied: nothing more to do.
        Assert.Null(WalTailCut.ApplyPending(_data, Wal, _ => { }));
    }

    private void Write(byte[][] raws, long[] epochs, long segmentBytes = 1 << 20)
    {
        Exception? failure = null;
        using var log = new WriteAheadLog(Wal, segmentBytes, fsync: false, 0, _ => { }, ex => failure = ex);
        for (var i = 0; i < raws.Length; i++)
        {
            log.Append(TestLogWriter.RecordFor(i) with { Epoch = epochs[i] }, raws[i]);
            if (i % 3 == 2 || i == raws.Length - 1)
            {
                // One write per group (a segment fills up only between writes).
                log.Commit();
                var end = i + 1;
                Assert.True(SpinWait.SpinUntil(() => log.DurableEndSequence >= end || failure is not null, TimeSpan.FromSeconds(30)));
                Assert.Null(failure);
            }
        }
    }
}
