using System.Globalization;
using Sequencer.History;
using Sequencer.Log;
using Xunit.Abstractions;

namespace Sequencer.Tests.Log;

/// <summary>
/// A restart with a checkpoint reads the log from the checkpoint's offset on, not the whole segment holding it. Property:
/// whatever damage lies at or after that offset (a flipped byte, a truncation or a zero fill in the checkpoint's segment
/// or a later one, a torn last write), the replay from the checkpoint finds, reports, cuts or refuses exactly what a
/// replay of the whole log does, with the same message, and hands over the same records from the checkpoint on.
/// </summary>
public sealed class WalRecoveryFromCheckpointTests(ITestOutputHelper output)
{
    private const int Cases = 200;

    private enum Damage
    {
        None,
        Flip,
        Truncate,
        ZeroFrom,
        TornLastWrite,
    }

    [Fact]
    public void DamageAfterTheCheckpointOffset_IsFoundAndHandled_ExactlyAsByAReplayOfTheWholeLog()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("WAL_CHECKPOINT_SEED"), CultureInfo.InvariantCulture, out var fixedSeed)
            ? fixedSeed
            : Random.Shared.Next();
        output.WriteLine($"seed {seed} (WAL_CHECKPOINT_SEED={seed} replays this run)");
        var random = new Random(seed);
        var kinds = Enum.GetValues<Damage>();
        var tally = new SortedDictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < Cases; i++)
        {
            var kind = kinds[i % kinds.Length];
            var caseSeed = random.Next();
            var outcome = new CheckpointCase(kind, caseSeed).Run($"seed {seed}, case {i}: {kind} (case seed {caseSeed})");
            var key = $"{kind} -> {outcome}";
            tally[key] = tally.GetValueOrDefault(key) + 1;
        }

        foreach (var (key, count) in tally)
        {
            output.WriteLine($"  {key}: {count}");
        }

        // The property must have met every outcome, or it proved less than it says.
        Assert.Contains(tally.Keys, key => key.EndsWith("stopped", StringComparison.Ordinal));
        Assert.Contains(tally.Keys, key => key.EndsWith("cut", StringComparison.Ordinal));
        Assert.Contains(tally.Keys, key => key.EndsWith("intact", StringComparison.Ordinal));
    }

    [Fact]
    public void AByteFlippedAfterTheCheckpointOffset_InTheCheckpointsOwnSegment_StopsTheStart()
    {
        var root = NewRoot();
        try
        {
            var wal = Path.Combine(root, "wal");
            var random = new Random(7);
            var raws = Enumerable.Range(0, 60).Select(_ => TestLogWriter.RandomRaw(random, 100)).ToList();
            TestLogWriter.WriteThroughLog(wal, 64L << 20, 0, raws, () => 5);
            var records = ReadPositions(wal);
            var checkpoint = records[20].Position;
            var victim = records[40];
            var path = WalSegments.PathFor(wal, victim.Position.Segment);
            var bytes = File.ReadAllBytes(path);
            bytes[victim.Position.Offset + WalFrame.HeaderBytes + 10] ^= 0x5A;
            File.WriteAllBytes(path, bytes);

            var stopped = Assert.Throws<WalCorruptedException>(() =>
                WalRecovery.Replay(wal, (in TxLogRecord _, ReadOnlySpan<byte> _) => { }, WalRepair.CutTornWrite, checkpoint));

            Assert.Contains(path, stopped.Message, StringComparison.Ordinal);
            Assert.Contains($"offset {victim.Position.Offset}", stopped.Message, StringComparison.Ordinal);
            Assert.True(bytes.AsSpan().SequenceEqual(File.ReadAllBytes(path)), "the log changed");
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static string NewRoot() => Path.Combine(Path.GetTempPath(), "wal-checkpoint-" + Guid.NewGuid().ToString("N"));

    /// <summary>Every valid record of an undamaged log with the position a checkpoint before it would hold.</summary>
    private static List<(LogPosition Position, int End)> ReadPositions(string wal)
    {
        var found = new List<(LogPosition, int)>();
        foreach (var (first, path) in WalSegments.List(wal))
        {
            var bytes = File.ReadAllBytes(path);
            long previousWriteEnd = -1;
            for (var offset = 0; offset < bytes.Length && WalFrame.Read(bytes, offset, out var header) == FrameStatus.Valid; offset += header.FramedLength)
            {
                found.Add((new LogPosition(header.Sequence, first, offset, previousWriteEnd), offset + header.FramedLength));
                previousWriteEnd = header.WriteEnd;
            }
        }

        return found;
    }

    private sealed class CheckpointCase(Damage kind, int seed)
    {
        private readonly Random _random = new(seed);
        private readonly string _root = NewRoot();

        public string Run(string label)
        {
            try
            {
                return RunIn(label);
            }
            finally
            {
                Directory.Delete(_root, recursive: true);
            }
        }

        private string RunIn(string label)
        {
            var wal = Path.Combine(_root, "wal");
            Directory.CreateDirectory(wal);
            var segmentBytes = _random.Next(1_500, 4_000);
            var raws = Enumerable.Range(0, _random.Next(40, 120)).Select(_ => TestLogWriter.RandomRaw(_random, _random.Next(40, 300))).ToList();
            TestLogWriter.WriteThroughLog(wal, segmentBytes, 0, raws, () => _random.Next(1, 10));
            (string Path, int Offset, long FirstSequence)? unfinished = kind == Damage.TornLastWrite || _random.Next(3) == 0 ? AddUnfinishedWrite(wal, segmentBytes, raws) : null;

            // The checkpoint: any record boundary of the confirmed log (also the first record of a segment, offset 0).
            var records = ReadPositions(wal);
            var confirmed = unfinished is null ? records.Count : (int)unfinished.Value.FirstSequence;
            var checkpoint = records[_random.Next(confirmed)].Position;
            ApplyDamage(wal, checkpoint, unfinished);

            var whole = Replay(Copy(wal, "whole"), null);
            var fromCheckpoint = Replay(Copy(wal, "checkpoint"), checkpoint);

            Assert.True(whole.Outcome == fromCheckpoint.Outcome, $"{label}: whole log {whole.Outcome}, from the checkpoint {fromCheckpoint.Outcome}");
            Assert.True(whole.Message == fromCheckpoint.Message, $"{label}: whole log said '{whole.Message}', from the checkpoint '{fromCheckpoint.Message}'");
            Assert.Equal(whole.Records.Skip((int)checkpoint.Sequence).Select(r => r.Sequence), fromCheckpoint.Records.Select(r => r.Sequence));
            Assert.True(whole.Records.Skip((int)checkpoint.Sequence).Zip(fromCheckpoint.Records).All(pair => pair.First.Raw.AsSpan().SequenceEqual(pair.Second.Raw)), label);
            Assert.True(whole.Files.Keys.Order().SequenceEqual(fromCheckpoint.Files.Keys.Order()), $"{label}: different segment files after recovery");
            Assert.All(whole.Files, pair => Assert.True(pair.Value.AsSpan().SequenceEqual(fromCheckpoint.Files[pair.Key]), $"{label}: {pair.Key} differs after recovery"));
            return whole.Outcome;
        }

        /// <summary>Damage at or after the checkpoint's offset, in its segment or a later one.</summary>
        private void ApplyDamage(string wal, LogPosition checkpoint, (string Path, int Offset, long FirstSequence)? unfinished)
        {
            if (kind == Damage.TornLastWrite)
            {
                // The write whose fsync never returned (after every confirmed record, so after the checkpoint), cut
                // short as a killed process leaves it.
                var (torn, start, _) = unfinished!.Value;
                using var stream = new FileStream(torn, FileMode.Open);
                stream.SetLength(_random.Next(start, (int)stream.Length));
                return;
            }

            var candidates = WalSegments.List(wal).Where(s => s.FirstSequence >= checkpoint.Segment).Select(s => s.Path).ToList();
            var path = candidates[_random.Next(candidates.Count)];
            var length = (int)new FileInfo(path).Length;
            var from = path == WalSegments.PathFor(wal, checkpoint.Segment) ? (int)checkpoint.Offset : 0;
            if (from >= length)
            {
                return;
            }

            var at = _random.Next(from, length);
            switch (kind)
            {
                case Damage.Flip:
                    var bytes = File.ReadAllBytes(path);
                    bytes[at] ^= (byte)_random.Next(1, 256);
                    File.WriteAllBytes(path, bytes);
                    break;
                case Damage.Truncate:
                    using (var stream = new FileStream(path, FileMode.Open))
                    {
                        stream.SetLength(at);
                    }

                    break;
                case Damage.ZeroFrom:
                    var zeroed = File.ReadAllBytes(path);
                    Array.Clear(zeroed, at, length - at);
                    File.WriteAllBytes(path, zeroed);
                    break;
            }
        }

        /// <summary>One more write, placed as the flusher would (same segment if it fits, else a new one), never fsynced.</summary>
        private (string Path, int Offset, long FirstSequence) AddUnfinishedWrite(string wal, long segmentBytes, List<byte[]> raws)
        {
            var first = raws.Count;
            var more = Enumerable.Range(0, _random.Next(1, 12)).Select(_ => TestLogWriter.RandomRaw(_random, _random.Next(40, 300))).ToList();
            raws.AddRange(more);
            var newest = WalSegments.List(wal)[^1].Path;
            var length = new FileInfo(newest).Length;
            if (length > 0 && length + more.Sum(raw => TxLogRecord.FramedLength(raw.Length)) > segmentBytes)
            {
                newest = WalSegments.PathFor(wal, first);
                length = 0;
            }

            using (var stream = new FileStream(newest, FileMode.Append))
            {
                stream.Write(TestLogWriter.FrameWrite(first, more, length));
            }

            return (newest, (int)length, first);
        }

        private string Copy(string wal, string name)
        {
            var copy = Path.Combine(_root, name, "wal");
            Directory.CreateDirectory(copy);
            foreach (var file in Directory.EnumerateFiles(wal))
            {
                File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
            }

            return copy;
        }

        private static Result Replay(string wal, LogPosition? checkpoint)
        {
            var read = new List<(long Sequence, byte[] Raw)>();
            string outcome, message;
            try
            {
                var report = WalRecovery.Replay(wal, (in TxLogRecord record, ReadOnlySpan<byte> raw) => read.Add((record.Sequence, raw.ToArray())),
                    WalRepair.CutTornWrite, checkpoint);
                outcome = report.Damage is null ? "intact" : "cut";
                message = $"{report.Damage?.Describe()} cut {report.TornBytesCut} bytes of {Path.GetFileName(report.TornSegment)}";
            }
            catch (WalCorruptedException stopped)
            {
                outcome = "stopped";
                message = stopped.Message;
            }

            // Both copies name their own directory; the rest of the message must be the same.
            return new Result(outcome, message.Replace(wal, "<wal>", StringComparison.Ordinal), read,
                WalSegments.List(wal).ToDictionary(s => Path.GetFileName(s.Path), s => File.ReadAllBytes(s.Path)));
        }
    }

    private sealed record Result(string Outcome, string Message, List<(long Sequence, byte[] Raw)> Records, Dictionary<string, byte[]> Files);
}
