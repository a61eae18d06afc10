using Sequencer.Log;
using Sequencer.Primitives;

namespace Sequencer.Tests.Log;

public sealed class WalRecoveryTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "wal-unit-" + Guid.NewGuid().ToString("N"));

    public WalRecoveryTests() => Directory.CreateDirectory(_directory);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Crc32C_MatchesTheStandardCheckValue()
    {
        Assert.Equal(0xE3069283u, Crc32C.Compute("123456789"u8));
    }

    [Fact]
    public void Records_RoundTrip_ThroughTheFileFormat()
    {
        var records = WriteSegment(0, 5);

        var read = Replay(out var report);

        Assert.Equal(5, report.Records);
        Assert.Equal(records, read.Select(r => r.Record));
        Assert.All(read, r => Assert.Equal(RawFor(r.Record.Sequence), r.Raw));
    }

    [Fact]
    public void GarbageAfterTheLastRecord_IsCut()
    {
        WriteSegment(0, 3);
        var path = WalSegments.PathFor(_directory, 0);
        var good = new FileInfo(path).Length;
        File.AppendAllText(path, "torn");

        Replay(out var report);

        Assert.Equal(3, report.Records);
        Assert.Equal(4, report.TornBytesCut);
        Assert.Equal(good, new FileInfo(path).Length);
    }

    [Fact]
    public void ASequenceGap_IsCorruption()
    {
        WriteSegment(0, 3);
        WriteSegment(5, 2);

        var failure = Assert.Throws<WalCorruptedException>(() => Replay(out _));
        Assert.Contains("sequence 5 follows 2", failure.Message);
    }

    [Fact]
    public void AFileNamedForAnotherSequence_IsCorruption()
    {
        WriteSegment(0, 3);
        File.Move(WalSegments.PathFor(_directory, 0), WalSegments.PathFor(_directory, 1));

        Assert.Throws<WalCorruptedException>(() => Replay(out _));
    }

    private List<TxLogRecord> WriteSegment(long first, int count)
    {
        var records = new List<TxLogRecord>();
        using var stream = File.Create(WalSegments.PathFor(_directory, first));
        for (var s = first; s < first + count; s++)
        {
            var record = new TxLogRecord(s, 1, (uint)s, 1_700_000_000, (ulong)s, 21_000, new Address(new byte[20]), Hash32.FromUInt64((ulong)s));
            var raw = RawFor(s);
            var buffer = new byte[TxLogRecord.FramedLength(raw.Length)];
            record.WriteFramed(raw, buffer);
            stream.Write(buffer);
            records.Add(record);
        }

        return records;
    }

    private List<(TxLogRecord Record, byte[] Raw)> Replay(out WalRecoveryReport report)
    {
        var read = new List<(TxLogRecord, byte[])>();
        report = WalRecovery.Replay(_directory, (in TxLogRecord record, ReadOnlySpan<byte> raw) => read.Add((record, raw.ToArray())));
        return read;
    }

    private static byte[] RawFor(long sequence) => [0x02, (byte)sequence, 0xAB, 0xCD];
}
