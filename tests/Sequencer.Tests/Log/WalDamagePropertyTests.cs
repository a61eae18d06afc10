using System.Globalization;
using Sequencer.Log;
using Xunit.Abstractions;

namespace Sequencer.Tests.Log;

/// <summary>
/// Property: whatever damage the log takes (a byte flipped anywhere in the newest or an older segment, a truncation,
/// a zero-filled tail or hole), recovery either stops with a message naming the file and offset and changes nothing,
/// or cuts only bytes of the last write, the one whose fsync never returned, so nothing it cuts was ever confirmed.
/// It never drops a confirmed record, and it resumes at a sequence no confirmed record holds.
/// </summary>
/// <remarks>
/// Each case writes a log through the real <see cref="WriteAheadLog"/> (several segments, one write per group, each
/// waited for: all of it counts as confirmed), usually adds one more write framed the same way whose fsync "never
/// returned", damages it, and replays it with the recovery classes directly. The seed is printed; set
/// WAL_DAMAGE_SEED to replay a run. Not generated, because no log format can tell them from a crash (see
/// <see cref="WalTailClassifier"/>): a truncation of the newest segment inside confirmed records, and a zero fill
/// that starts within the first record header of a confirmed write.
/// </remarks>
public sealed class WalDamagePropertyTests(ITestOutputHelper output)
{
    private const int CasesPerKind = 24;

    private enum Damage
    {
        FlipNewestConfirmed,
        FlipNewestConfirmedAfterCleanStop,
        FlipOlderSegment,
        TruncateOlderSegment,
        ZeroTailOlderSegment,
        ZeroTailFromConfirmed,
        FlipUnfinished,
        TruncateUnfinished,
        ZeroTailUnfinishedFromSector,
        ZeroTailUnfinishedAnywhere,
        HoleInUnfinished,
    }

    [Flags]
    private enum Outcome
    {
        Stopped = 1,
        Cut = 2,
        Intact = 4,
    }

    [Fact]
    public void RandomDamage_EitherStopsWithTheMessage_OrCutsOnlyTheWriteThatWasNeverConfirmed()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("WAL_DAMAGE_SEED"), CultureInfo.InvariantCulture, out var fixedSeed)
            ? fixedSeed
            : Random.Shared.Next();
        output.WriteLine($"seed {seed} (WAL_DAMAGE_SEED={seed} replays this run)");
        var random = new Random(seed);
        var kinds = Enum.GetValues<Damage>();
        var tally = new SortedDictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < CasesPerKind * kinds.Length; i++)
        {
            var kind = kinds[i % kinds.Length];
            var caseSeed = random.Next();
            var outcome = new DamageCase(kind, caseSeed).Run($"seed {seed}, case {i}: {kind} (case seed {caseSeed})");
            var key = $"{kind} -> {outcome}";
            tally[key] = tally.GetValueOrDefault(key) + 1;
        }

        output.WriteLine($"{CasesPerKind * kinds.Length} cases:");
        foreach (var (key, count) in tally)
        {
            output.WriteLine($"  {key}: {count}");
        }
    }

    private sealed class DamageCase(Damage kind, int seed)
    {
        private readonly Random _random = new(seed);
        private readonly string _root = Path.Combine(Path.GetTempPath(), "wal-damage-" + Guid.NewGuid().ToString("N"));

        public Outcome Run(string label)
        {
            var wal = Path.Combine(_root, "wal");
            Directory.CreateDirectory(wal);
            try
            {
                return RunIn(wal, label);
            }
            finally
            {
                Directory.Delete(_root, recursive: true);
            }
        }

        private Outcome RunIn(string wal, string label)
        {
            var segmentBytes = _random.Next(1_500, 4_000);
            var raws = Enumerable.Range(0, _random.Next(40, 120)).Select(_ => TestLogWriter.RandomRaw(_random, _random.Next(40, 300))).ToList();
            var confirmed = raws.Count;
            TestLogWriter.WriteThroughLog(wal, segmentBytes, 0, raws, () => _random.Next(1, 10));

            var unfinished = kind is Damage.FlipNewestConfirmedAfterCleanStop || (!IsAboutUnfinished && _random.Next(3) == 0 && kind != Damage.ZeroTailFromConfirmed)
                ? null
                : AddUnfinishedWrite(wal, segmentBytes, raws);
            var allowed = ApplyDamage(wal, unfinished, label);

            var before = Snapshot(wal);
            var read = new List<(long Sequence, byte[] Raw)>();
            WalRecoveryReport report;
            try
            {
                report = WalRecovery.Replay(wal, (in TxLogRecord record, ReadOnlySpan<byte> raw) => read.Add((record.Sequence, raw.ToArray())));
            }
            catch (WalCorruptedException stopped)
            {
                Assert.True(allowed.HasFlag(Outcome.Stopped), $"{label}: stopped, but the damage was a torn write that must be cut: {stopped.Message}");
                Assert.Matches(@"\.wal(:| at offset \d+)", stopped.Message);
                Assert.True(before.Keys.Any(stopped.Message.Contains), $"{label}: the message names no segment: {stopped.Message}");
                AssertUnchanged(before, Snapshot(wal), label);
                return Outcome.Stopped;
            }

            var outcome = report.Damage is null ? Outcome.Intact : Outcome.Cut;
            Assert.True(allowed.HasFlag(outcome), $"{label}: {outcome} ({report.Damage?.Describe()}), expected {allowed}");
            Assert.True(read.Count >= confirmed, $"{label}: {confirmed - read.Count} confirmed records lost ({report.Damage?.Describe()})");
            Assert.True(read.Count <= raws.Count, label);
            for (var i = 0; i < read.Count; i++)
            {
                Assert.Equal(i, read[i].Sequence);
                Assert.True(raws[i].AsSpan().SequenceEqual(read[i].Raw), $"{label}: record {i} came back different");
            }

            AssertOnlyUnfinishedBytesCut(before, Snapshot(wal), unfinished, label);
            AssertSequencingContinuesAfter(wal, segmentBytes, read, label);
            return outcome;
        }

        private bool IsAboutUnfinished => kind is Damage.FlipUnfinished or Damage.TruncateUnfinished or Damage.ZeroTailUnfinishedFromSector
            or Damage.ZeroTailUnfinishedAnywhere or Damage.HoleInUnfinished;

        /// <summary>One more write, placed as the flusher would (same segment if it fits, else a new one), never fsynced.</summary>
        private Unfinished AddUnfinishedWrite(string wal, long segmentBytes, List<byte[]> raws)
        {
            var first = raws.Count;
            var more = Enumerable.Range(0, _random.Next(1, 12)).Select(_ => TestLogWriter.RandomRaw(_random, _random.Next(40, 300))).ToList();
            raws.AddRange(more);
            var newest = WalSegments.List(wal)[^1].Path;
            var length = new FileInfo(newest).Length;
            var bytes = more.Sum(raw => TxLogRecord.FramedLength(raw.Length));
            if (length > 0 && length + bytes > segmentBytes)
            {
                newest = WalSegments.PathFor(wal, first);
                length = 0;
            }

            using (var stream = new FileStream(newest, FileMode.Append))
            {
                stream.Write(TestLogWriter.FrameWrite(first, more, length));
            }

            return new Unfinished(newest, (int)length);
        }

        /// <summary>Applies the damage; returns the outcomes the property allows for it.</summary>
        private Outcome ApplyDamage(string wal, Unfinished? unfinished, string label)
        {
            var segments = WalSegments.List(wal).Select(s => s.Path).ToList();
            var newest = segments[^1];
            var older = segments.Take(segments.Count - 1).ToList();
            Assert.True(older.Count > 0, $"{label}: the case needs more than one segment");
            var olderOne = older[_random.Next(older.Count)];
            var confirmedSegment = unfinished is { Offset: 0 } ? older[^1] : newest;
            var confirmedEnd = unfinished is { Offset: > 0 } u ? u.Offset : (int)new FileInfo(confirmedSegment).Length;
            switch (kind)
            {
                case Damage.FlipNewestConfirmed:
                case Damage.FlipNewestConfirmedAfterCleanStop:
                    Flip(confirmedSegment, _random.Next(confirmedEnd));
                    return Outcome.Stopped;
                case Damage.FlipOlderSegment:
                    Flip(olderOne, _random.Next((int)new FileInfo(olderOne).Length));
                    return Outcome.Stopped;
                case Damage.TruncateOlderSegment:
                    Truncate(olderOne, _random.Next((int)new FileInfo(olderOne).Length));
                    return Outcome.Stopped;
                case Damage.ZeroTailOlderSegment:
                    ZeroFrom(olderOne, _random.Next((int)new FileInfo(olderOne).Length));
                    return Outcome.Stopped;
                case Damage.ZeroTailFromConfirmed:
                    ZeroFrom(confirmedSegment, ZeroStartOutsideWriteHeaders(confirmedSegment, confirmedEnd));
                    return Outcome.Stopped;
            }

            var (path, start) = unfinished!;
            var end = (int)new FileInfo(path).Length;
            switch (kind)
            {
                case Damage.FlipUnfinished:
                    Flip(path, _random.Next(start, end));
                    return Outcome.Stopped | Outcome.Cut;
                case Damage.TruncateUnfinished:
                    Truncate(path, _random.Next(start, end));
                    return Outcome.Cut | Outcome.Intact;
                case Damage.ZeroTailUnfinishedAnywhere:
                    ZeroFrom(path, _random.Next(start, end));
                    return Outcome.Stopped | Outcome.Cut;
                case Damage.ZeroTailUnfinishedFromSector when FirstSectorIn(start, end - 8) is { } sector:
                    // As a power cut leaves it: the file size got out, the sectors from here on did not.
                    ZeroFrom(path, sector + (512 * _random.Next((end - 8 - sector) / 512 + 1)));
                    return Outcome.Cut;
                case Damage.HoleInUnfinished when FirstSectorIn(start, end - 512) is { } sector:
                    // Sectors of one unfinished write reach the disk out of order: a hole, then more of the write.
                    var hole = sector + (512 * _random.Next((end - 512 - sector) / 512 + 1));
                    ZeroRange(path, hole, Math.Min(end, hole + (512 * _random.Next(1, 3))));
                    return Outcome.Cut;
                default:
                    // The unfinished write is too short for whole sectors: a process killed mid-write instead.
                    Truncate(path, _random.Next(start, end));
                    return Outcome.Cut | Outcome.Intact;
            }
        }

        /// <summary>A random offset of [0, end) not inside the first record header of a write (see the class remarks).</summary>
        private int ZeroStartOutsideWriteHeaders(string path, int end)
        {
            var bytes = File.ReadAllBytes(path);
            var writeStarts = new HashSet<int> { 0 };
            for (var offset = 0; offset < end && WalFrame.Read(bytes, offset, out var header) == FrameStatus.Valid; offset += header.FramedLength)
            {
                writeStarts.Add((int)header.WriteEnd);
            }

            while (true)
            {
                var start = _random.Next(end);
                if (!writeStarts.Any(write => start >= write && start < write + WalFrame.HeaderBytes))
                {
                    return start;
                }
            }
        }

        private static int? FirstSectorIn(int start, int end)
        {
            var sector = (start + 511) / 512 * 512;
            return sector <= end ? sector : null;
        }

        private static void AssertOnlyUnfinishedBytesCut(Dictionary<string, byte[]> before, Dictionary<string, byte[]> after, Unfinished? unfinished, string label)
        {
            Assert.Equal(before.Keys.Order(), after.Keys.Order());
            foreach (var (path, bytes) in before)
            {
                if (unfinished is not null && path == unfinished.Path)
                {
                    Assert.True(after[path].Length >= unfinished.Offset, $"{label}: cut into confirmed bytes of {path}");
                    Assert.True(bytes.AsSpan(0, after[path].Length).SequenceEqual(after[path]), $"{label}: {path} changed before the cut");
                }
                else
                {
                    Assert.True(bytes.AsSpan().SequenceEqual(after[path]), $"{label}: {path} changed");
                }
            }
        }

        /// <summary>The log accepts the next sequence after the recovered ones, and the recovered ones stay as they were.</summary>
        private void AssertSequencingContinuesAfter(string wal, long segmentBytes, List<(long Sequence, byte[] Raw)> recovered, string label)
        {
            var next = TestLogWriter.RandomRaw(_random, 77);
            TestLogWriter.WriteThroughLog(wal, segmentBytes, recovered.Count, [next], () => 1);
            var again = new List<(long Sequence, byte[] Raw)>();
            var report = WalRecovery.Replay(wal, (in TxLogRecord record, ReadOnlySpan<byte> raw) => again.Add((record.Sequence, raw.ToArray())));
            Assert.True(report.Damage is null, $"{label}: damage after continuing: {report.Damage?.Describe()}");
            Assert.Equal(recovered.Count + 1, again.Count);
            Assert.True(again.Take(recovered.Count).Zip(recovered).All(pair => pair.First.Raw.AsSpan().SequenceEqual(pair.Second.Raw)), label);
            Assert.True(again[^1].Raw.AsSpan().SequenceEqual(next), label);
        }

        private static void AssertUnchanged(Dictionary<string, byte[]> before, Dictionary<string, byte[]> after, string label)
        {
            Assert.Equal(before.Keys.Order(), after.Keys.Order());
            Assert.All(before, pair => Assert.True(pair.Value.AsSpan().SequenceEqual(after[pair.Key]), $"{label}: {pair.Key} changed"));
        }

        private static Dictionary<string, byte[]> Snapshot(string wal) =>
            WalSegments.List(wal).ToDictionary(segment => segment.Path, segment => File.ReadAllBytes(segment.Path));

        private void Flip(string path, int offset)
        {
            var bytes = File.ReadAllBytes(path);
            bytes[offset] ^= (byte)_random.Next(1, 256);
            File.WriteAllBytes(path, bytes);
        }

        private static void Truncate(string path, int length)
        {
            using var stream = new FileStream(path, FileMode.Open);
            stream.SetLength(length);
        }

        private static void ZeroFrom(string path, int offset) => ZeroRange(path, offset, (int)new FileInfo(path).Length);

        private static void ZeroRange(string path, int from, int to)
        {
            var bytes = File.ReadAllBytes(path);
            Array.Clear(bytes, from, to - from);
            File.WriteAllBytes(path, bytes);
        }
    }

    /// <summary>Where the write that never got its fsync starts.</summary>
    private sealed record Unfinished(string Path, int Offset);
}
