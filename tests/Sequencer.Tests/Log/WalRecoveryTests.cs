using Sequencer.Log;

namespace Sequencer.Tests.Log;

public sealed class WalRecoveryTests : IDisposable
{
    private const long BigSegment = 64L << 20;

    private readonly string _root = Path.Combine(Path.GetTempPath(), "wal-unit-" + Guid.NewGuid().ToString("N"));
    private readonly string _directory;
    private readonly Random _random = new(4242);

    public WalRecoveryTests()
    {
        _directory = Path.Combine(_root, "wal");
        Directory.CreateDirectory(_directory);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Crc32C_MatchesTheStandardCheckValue()
    {
        Assert.Equal(0xE3069283u, Crc32C.Compute("123456789"u8));
    }

    [Fact]
    public void Records_RoundTrip_ThroughTheFileFormat()
    {
        var raws = WriteLog(count: 5);

        var read = Replay(out var report);

        Assert.Equal(5, report.Records);
        Assert.Null(report.Damage);
        Assert.Equal(Enumerable.Range(0, 5).Select(s => TestLogWriter.RecordFor(s)), read.Select(r => r.Record));
        Assert.Equal(raws, read.Select(r => r.Raw));
    }

    [Fact]
    public void GarbageAfterTheLastRecord_IsCut()
    {
        WriteLog(count: 3);
        var path = NewestSegment;
        var good = new FileInfo(path).Length;
        File.AppendAllText(path, "torn");

        Replay(out var report);

        Assert.Equal(3, report.Records);
        Assert.Equal(4, report.TornBytesCut);
        Assert.Equal(good, new FileInfo(path).Length);
    }

    /// <summary>Finding 1 of issue 10: one flipped byte in the newest segment cut every confirmed record after it.</summary>
    [Fact]
    public void AByteFlippedInTheMiddleOfTheNewestSegment_StopsRecovery_AndCutsNothing()
    {
        WriteLog(count: 400);
        var path = NewestSegment;
        var bytes = File.ReadAllBytes(path);
        var middle = bytes.Length / 2;
        bytes[middle] ^= 0x5A;
        File.WriteAllBytes(path, bytes);

        var failure = Assert.Throws<WalCorruptedException>(() => Replay(out _));

        Assert.Contains(path, failure.Message);
        Assert.Matches(@"at offset \d+ \(sequence \d+\)", failure.Message);
        Assert.Matches(@"\d+ valid records follow it", failure.Message);
        Assert.Equal(bytes, File.ReadAllBytes(path));
    }

    [Fact]
    public void ACorruptedLengthField_IsNotMistakenForATornTail()
    {
        WriteLog(count: 50);
        var path = NewestSegment;
        var bytes = File.ReadAllBytes(path);
        var offset = RecordOffset(bytes, 20);
        bytes[offset + 7] = 0x7F; // high byte of the payload length: the record now "runs past the end of the file"
        File.WriteAllBytes(path, bytes);

        var failure = Assert.Throws<WalCorruptedException>(() => Replay(out _));

        Assert.Contains($"at offset {offset} (sequence 20)", failure.Message);
        Assert.Contains("29 valid records follow it", failure.Message);
    }

    [Fact]
    public void AByteFlippedInTheLastRecordOfTheLog_StopsRecovery_BecauseACrashCannotFlipAByte()
    {
        WriteLog(count: 10);
        var path = NewestSegment;
        var bytes = File.ReadAllBytes(path);
        bytes[^3] ^= 0x01;
        File.WriteAllBytes(path, bytes);

        var failure = Assert.Throws<WalCorruptedException>(() => Replay(out _));

        Assert.Contains("no valid record follows it", failure.Message);
        Assert.Contains("which a crash cannot leave", failure.Message);
    }

    [Fact]
    public void AZeroFilledSectorInAnEarlierWrite_StopsRecovery()
    {
        WriteLog(count: 200);
        var path = NewestSegment;
        var bytes = File.ReadAllBytes(path);
        Array.Clear(bytes, 4096, 512);
        File.WriteAllBytes(path, bytes);

        var failure = Assert.Throws<WalCorruptedException>(() => Replay(out _));

        Assert.Contains("was fsynced", failure.Message);
    }

    /// <summary>
    /// A power cut in the middle of the last write: some of its sectors never reached the disk (zeros), later ones did.
    /// The valid records after the hole belong to the same unfinished write, so nothing from the hole on was confirmed.
    /// </summary>
    [Fact]
    public void ALastWriteWithAZeroFilledHoleBeforeValidRecordsOfTheSameWrite_IsCutAtTheHole()
    {
        WriteLog(count: 30);
        var path = NewestSegment;
        var confirmedLength = new FileInfo(path).Length;
        var unfinished = Enumerable.Range(0, 20).Select(_ => TestLogWriter.RandomRaw(_random, 150)).ToList();
        var write = TestLogWriter.FrameWrite(30, unfinished, confirmedLength);
        var hole = (int)(((confirmedLength / 512) + 2) * 512 - confirmedLength);
        Array.Clear(write, hole, 512);
        AppendTo(path, write);
        var firstBad = RecordOffset(File.ReadAllBytes(path), (int)(30 + unfinished.TakeWhile((raw, i) => Offset(unfinished, i + 1) <= hole).Count()));

        var read = Replay(out var report);

        Assert.True(report.Damage!.IsTornWrite, report.Damage.Describe());
        Assert.True(report.Damage.ValidAfter.Count > 0);
        Assert.Equal(firstBad, report.Damage.Offset);
        Assert.Equal(firstBad, new FileInfo(path).Length);
        Assert.Equal(report.Damage.Sequence, read.Count);
        Assert.True(read.Count >= 30);
    }

    [Fact]
    public void ALastWriteCutShort_IsCut_AndTheRecordsBeforeItStay()
    {
        WriteLog(count: 30);
        var path = NewestSegment;
        var confirmedLength = new FileInfo(path).Length;
        var write = TestLogWriter.FrameWrite(30, [TestLogWriter.RandomRaw(_random, 100), TestLogWriter.RandomRaw(_random, 100)], confirmedLength);
        AppendTo(path, write.AsSpan(0, write.Length - 40).ToArray());

        var read = Replay(out var report);

        Assert.Equal(31, read.Count);
        Assert.True(report.Damage!.IsTornWrite);
        Assert.Equal(write.Length / 2 - 40, report.TornBytesCut);
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

    [Fact]
    public void InspectingADamagedLog_ReportsTheDamage_AndChangesNothing()
    {
        WriteLog(count: 100, segmentBytes: 4096);
        var segments = WalSegments.List(_directory);
        var damaged = segments[1].Path;
        var before = segments.Select(s => File.ReadAllBytes(s.Path)).ToList();
        FlipByte(damaged, 300);
        var damagedBytes = File.ReadAllBytes(damaged);

        var report = WalRecovery.Replay(_directory, (in TxLogRecord _, ReadOnlySpan<byte> _) => { }, WalRepair.None);

        Assert.False(report.Damage!.IsTornWrite);
        Assert.Equal(damaged, report.Damage.Segment);
        Assert.Contains("a later segment exists", report.Damage.Reason);
        Assert.Equal(damagedBytes, File.ReadAllBytes(damaged));
        Assert.Equal(segments.Count, WalSegments.List(_directory).Count);
        Assert.Equal(before[0], File.ReadAllBytes(segments[0].Path));
    }

    [Fact]
    public void CuttingAtDamage_OnTheOperatorsWord_KeepsACopyOfEverythingItDiscards()
    {
        WriteLog(count: 100, segmentBytes: 4096);
        var segments = WalSegments.List(_directory);
        var damaged = segments[1].Path;
        FlipByte(damaged, 300);
        var discarded = File.ReadAllBytes(damaged);
        var laterSegments = segments.Skip(2).Select(s => (Name: Path.GetFileName(s.Path), Bytes: File.ReadAllBytes(s.Path))).ToList();

        var report = WalRecovery.Replay(_directory, (in TxLogRecord _, ReadOnlySpan<byte> _) => { }, WalRepair.CutAtDamage);

        var offset = report.Damage!.Offset;
        Assert.Equal(offset, new FileInfo(damaged).Length);
        Assert.Equal(damaged, WalSegments.List(_directory)[^1].Path);
        Assert.Equal(discarded[offset..], File.ReadAllBytes(Path.Combine(report.MovedAside!, Path.GetFileName(damaged) + ".from-" + offset)));
        Assert.All(laterSegments, later => Assert.Equal(later.Bytes, File.ReadAllBytes(Path.Combine(report.MovedAside!, later.Name))));
        var read = Replay(out var again);
        Assert.Null(again.Damage);
        Assert.Equal(report.Damage.Sequence, read.Count);
        Assert.Equal(_root, Path.GetDirectoryName(report.MovedAside));
    }

    private string NewestSegment => WalSegments.List(_directory)[^1].Path;

    private List<byte[]> WriteLog(int count, long segmentBytes = BigSegment)
    {
        var raws = Enumerable.Range(0, count).Select(_ => TestLogWriter.RandomRaw(_random, _random.Next(40, 200))).ToList();
        TestLogWriter.WriteThroughLog(_directory, segmentBytes, 0, raws, () => _random.Next(1, 8));
        return raws;
    }

    private void WriteSegment(long first, int count)
    {
        var raws = Enumerable.Range(0, count).Select(_ => TestLogWriter.RandomRaw(_random, 60)).ToList();
        File.WriteAllBytes(WalSegments.PathFor(_directory, first), TestLogWriter.FrameWrite(first, raws, 0));
    }

    private List<(TxLogRecord Record, byte[] Raw)> Replay(out WalRecoveryReport report)
    {
        var read = new List<(TxLogRecord, byte[])>();
        report = WalRecovery.Replay(_directory, (in TxLogRecord record, ReadOnlySpan<byte> raw) => read.Add((record, raw.ToArray())));
        return read;
    }

    /// <summary>Offset of the record holding <paramref name="sequence"/> in a segment that starts at sequence 0.</summary>
    private static int RecordOffset(byte[] segment, int sequence)
    {
        var offset = 0;
        for (var s = 0; s < sequence; s++)
        {
            Assert.Equal(FrameStatus.Valid, WalFrame.Read(segment, offset, out var header));
            offset += header.FramedLength;
        }

        return offset;
    }

    private static int Offset(List<byte[]> raws, int count) => raws.Take(count).Sum(raw => TxLogRecord.FramedLength(raw.Length));

    private static void AppendTo(string path, byte[] bytes)
    {
        using var stream = new FileStream(path, FileMode.Append);
        stream.Write(bytes);
    }

    private static void FlipByte(string path, int offset)
    {
        var bytes = File.ReadAllBytes(path);
        bytes[offset] ^= 0xFF;
        File.WriteAllBytes(path, bytes);
    }
}
