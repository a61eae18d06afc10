using System.Globalization;
using Primitives.Storage;

namespace Sequencer.Log;

/// <summary>What recovery may change on disk.</summary>
internal enum WalRepair
{
    /// <summary>The start: cut a torn write at the end of the newest segment, stop on any damage.</summary>
    CutTornWrite,

    /// <summary>Change nothing; report what was found (the operator's <c>--recover-wal</c>).</summary>
    None,

    /// <summary>
    /// The operator's explicit <c>--recover-wal --cut</c>: also cut at damage, discarding every record after it
    /// (the cut bytes and any later segments are moved aside, not deleted).
    /// </summary>
    CutAtDamage,
}

/// <summary>What reading the log back found.</summary>
/// <param name="Segments">Segment files read.</param>
/// <param name="Records">Valid records replayed.</param>
/// <param name="TornBytesCut">Bytes cut from the end of the newest segment (a torn write, or damage with <see cref="WalRepair.CutAtDamage"/>).</param>
/// <param name="TornSegment">The segment that was cut.</param>
/// <param name="Damage">The first bad record, torn or not; null if the log read back whole.</param>
/// <param name="MovedAside">Where <see cref="WalRepair.CutAtDamage"/> put what it cut.</param>
internal sealed record WalRecoveryReport(int Segments, long Records, long TornBytesCut, string? TornSegment, WalDamage? Damage = null, string? MovedAside = null);

/// <summary>
/// Reads every segment in order, verifies each record's checksums and sequence, and cuts a torn write at the end.
/// </summary>
/// <remarks>
/// Whether a bad record is a torn write (never confirmed, safe to cut) or damage to records that may have been
/// confirmed is <see cref="WalTailClassifier"/>'s decision; damage stops the start with <see cref="WalCorruptedException"/>
/// and changes nothing. A record that reads back intact but is out of place (wrong sequence) was written wrong,
/// not torn, and stops the start too.
/// </remarks>
internal static class WalRecovery
{
    public delegate void RecordVisitor(in TxLogRecord record, ReadOnlySpan<byte> raw);

    /// <param name="directory">The log.</param>
    /// <param name="visit">Called with each valid record, in order.</param>
    /// <param name="repair">What may be changed on disk.</param>
    /// <param name="start">
    /// Where to begin (a checkpoint's position): the segment, the offset of the record with that sequence, and the write
    /// end of the record before it. Null: from the first record of the log.
    /// </param>
    /// <param name="endOfRecords">
    /// Called once after the last valid record was visited, before the log is changed (a cut) or the report returned; it
    /// may throw to stop the replay there (a caller that checks records on another thread waits for them here).
    /// </param>
    public static WalRecoveryReport Replay(
        string directory, RecordVisitor visit, WalRepair repair = WalRepair.CutTornWrite, History.LogPosition? start = null, Action? endOfRecords = null)
    {
        var segments = WalSegments.List(directory);
        long records = 0;
        long expectedSequence = start?.Sequence ?? 0;
        var firstSegment = 0;
        if (start is { } from)
        {
            firstSegment = segments.FindIndex(s => s.FirstSequence == from.Segment);
            if (firstSegment < 0)
            {
                throw new WalCorruptedException(
                    $"write-ahead log segment {WalSegments.PathFor(directory, from.Segment)} is missing, but the checkpoint says sequences up to {from.Sequence - 1} were confirmed in it or before it");
            }
        }

        for (var s = firstSegment; s < segments.Count; s++)
        {
            var (firstSequence, path) = segments[s];
            var isLast = s == segments.Count - 1;
            var first = true;
            long previousWriteEnd = -1;
            long windowStart = 0;
            if (start is { } resume && s == firstSegment && resume.Offset > 0)
            {
                windowStart = resume.Offset;
                first = false;
                previousWriteEnd = resume.LastWriteEnd;
            }

            // From the checkpoint's offset on, not the whole segment: what lies before it was replayed into the
            // checkpoint, and a start should not read (and, cold, wait for) up to a segment's worth of it again.
            var window = ReadFrom(path, windowStart, expectedSequence);
            var at = 0;
            while (at < window.Length)
            {
                var offset = windowStart + at;
                var status = WalFrame.Read(window, at, windowStart, out var header);
                if (status != FrameStatus.Valid)
                {
                    // The classifier judges a bad record against the whole segment (sector boundaries, the file's
                    // length, every offset after it): read it whole for that, on this rare path only.
                    var whole = windowStart == 0 ? window : File.ReadAllBytes(path);
                    var damage = WalTailClassifier.Classify(path, whole, (int)offset, status, header,
                        first ? firstSequence : expectedSequence, previousWriteEnd, isLast);
                    endOfRecords?.Invoke();
                    return Repair(directory, segments, s, damage, repair, records);
                }

                // A record that reads back intact but is out of place was written wrong, not torn: never cut it.
                if (first && header.Sequence != firstSequence)
                {
                    throw new WalCorruptedException(
                        $"write-ahead log segment {path}: first record has sequence {header.Sequence}, the file name says {firstSequence}");
                }

                if (header.Sequence != expectedSequence)
                {
                    throw new WalCorruptedException(expectedSequence == 0
                        ? $"write-ahead log segment {path}: the log starts at sequence {header.Sequence}, so the segments holding sequences 0..{header.Sequence - 1} are missing"
                        : $"write-ahead log segment {path} at offset {offset}: sequence {header.Sequence} follows {expectedSequence - 1}");
                }

                if (!TxLogRecord.TryRead(WalFrame.Payload(window, at, header), out var record, out var raw))
                {
                    throw new WalCorruptedException($"write-ahead log segment {path} at offset {offset}: unknown record layout");
                }

                visit(record, raw);
                records++;
                expectedSequence = header.Sequence + 1;
                previousWriteEnd = header.WriteEnd;
                at += header.FramedLength;
                first = false;
            }
        }

        endOfRecords?.Invoke();
        return new WalRecoveryReport(segments.Count, records, 0, null);
    }

    /// <summary>The bytes of a segment from <paramref name="from"/> to its end, in an array the runtime does not zero first.</summary>
    /// <param name="path">The segment.</param>
    /// <param name="from">Where to start: 0, or the checkpoint's offset.</param>
    /// <param name="sequence">The sequence of the record at <paramref name="from"/> (for the message).</param>
    private static byte[] ReadFrom(string path, long from, long sequence)
    {
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        var length = RandomAccess.GetLength(handle);
        if (from > length)
        {
            throw new WalCorruptedException(
                $"write-ahead log segment {path} ends at {length}, before offset {from} where the checkpoint says sequence {sequence} starts (sequences up to {sequence - 1} were confirmed)");
        }

        var bytes = GC.AllocateUninitializedArray<byte>(checked((int)(length - from)));
        var read = 0;
        while (read < bytes.Length)
        {
            var n = RandomAccess.Read(handle, bytes.AsSpan(read), from + read);
            if (n == 0)
            {
                // The file shrank under us (nothing else should write it: the data directory is locked); read what is there.
                return bytes[..read];
            }

            read += n;
        }

        return bytes;
    }

    private static WalRecoveryReport Repair(
        string directory, List<(long FirstSequence, string Path)> segments, int damaged, WalDamage damage, WalRepair repair, long records)
    {
        var report = new WalRecoveryReport(segments.Count, records, 0, null, damage);
        var cut = repair switch
        {
            WalRepair.CutTornWrite => damage.IsTornWrite,
            WalRepair.CutAtDamage => true,
            _ => false,
        };
        if (!cut)
        {
            return repair == WalRepair.None
                ? report
                : throw new WalCorruptedException("write-ahead log damaged: " + damage.Describe());
        }

        string? movedAside = null;
        if (!damage.IsTornWrite)
        {
            // Only on the operator's word: keep a copy of everything discarded.
            movedAside = MoveAside(directory, segments, damaged, damage);
        }

        using (var handle = File.OpenHandle(damage.Segment, FileMode.Open, FileAccess.ReadWrite))
        {
            RandomAccess.SetLength(handle, damage.Offset);
            RandomAccess.FlushToDisk(handle);
        }

        return report with { TornBytesCut = damage.BytesFromDamage, TornSegment = damage.Segment, MovedAside = movedAside };
    }

    /// <summary>Copies the bytes from the damage on, and moves every later segment, into <c>wal-cut-{time}</c> beside the log.</summary>
    private static string MoveAside(string directory, List<(long FirstSequence, string Path)> segments, int damaged, WalDamage damage)
    {
        var stem = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(directory))!, "wal-cut-" + DateTime.UtcNow.ToString("yyyyMMddTHHmmssZ", CultureInfo.InvariantCulture));
        var aside = stem;
        for (var n = 2; Directory.Exists(aside); n++)
        {
            aside = stem + "-" + n.ToString(CultureInfo.InvariantCulture);
        }

        Directory.CreateDirectory(aside);
        using (var source = new FileStream(damage.Segment, FileMode.Open, FileAccess.Read, FileShare.Read))
        using (var copy = new FileStream(Path.Combine(aside, Path.GetFileName(damage.Segment) + ".from-" + damage.Offset), FileMode.CreateNew))
        {
            source.Position = damage.Offset;
            source.CopyTo(copy);
            copy.Flush(flushToDisk: true);
        }

        for (var later = damaged + 1; later < segments.Count; later++)
        {
            File.Move(segments[later].Path, Path.Combine(aside, Path.GetFileName(segments[later].Path)));
        }

        DirectorySync.Flush(aside);
        DirectorySync.Flush(directory);
        return aside;
    }
}
