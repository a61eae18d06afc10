using System.Buffers.Binary;

namespace Sequencer.Log;

/// <summary>What reading the log back found.</summary>
internal sealed record WalRecoveryReport(int Segments, long Records, long TornBytesCut, string? TornSegment);

/// <summary>
/// Reads every segment in order, verifies each record's length and checksum, and cuts a torn tail.
/// </summary>
/// <remarks>
/// Why cutting at the first bad record of the last segment is safe: a confirmation is sent only after
/// the fsync covering its record returned, and every fsync covers everything written before it. A bad
/// record means its fsync never completed, so neither it nor anything after it was ever confirmed.
/// A bad record anywhere else cannot come from a crash and stops startup.
/// </remarks>
internal static class WalRecovery
{
    public delegate void RecordVisitor(in TxLogRecord record, ReadOnlySpan<byte> raw);

    public static WalRecoveryReport Replay(string directory, RecordVisitor visit)
    {
        var segments = WalSegments.List(directory);
        long records = 0;
        long expectedSequence = -1;
        for (var s = 0; s < segments.Count; s++)
        {
            var (firstSequence, path) = segments[s];
            var isLast = s == segments.Count - 1;
            var bytes = File.ReadAllBytes(path);
            var offset = 0;
            var first = true;
            while (offset < bytes.Length)
            {
                var problem = TryReadRecord(bytes, offset, out var record, out var raw, out var framed);

                // A record that reads back intact but is out of place was written wrong, not torn: never cut it.
                if (problem is null && first && record.Sequence != firstSequence)
                {
                    throw new WalCorruptedException(
                        $"write-ahead log segment {path}: first record has sequence {record.Sequence}, the file name says {firstSequence}");
                }

                if (problem is null && expectedSequence >= 0 && record.Sequence != expectedSequence)
                {
                    throw new WalCorruptedException(
                        $"write-ahead log segment {path} at offset {offset}: sequence {record.Sequence} follows {expectedSequence - 1}");
                }

                if (problem is not null)
                {
                    if (!isLast)
                    {
                        throw new WalCorruptedException($"write-ahead log segment {path} at offset {offset}: {problem}");
                    }

                    var cut = bytes.Length - offset;
                    using (var handle = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite))
                    {
                        RandomAccess.SetLength(handle, offset);
                        RandomAccess.FlushToDisk(handle);
                    }

                    return new WalRecoveryReport(segments.Count, records, cut, path);
                }

                visit(record, raw);
                records++;
                expectedSequence = record.Sequence + 1;
                offset += framed;
                first = false;
            }
        }

        return new WalRecoveryReport(segments.Count, records, 0, null);
    }

    private static string? TryReadRecord(byte[] bytes, int offset, out TxLogRecord record, out ReadOnlySpan<byte> raw, out int framed)
    {
        record = default;
        raw = default;
        framed = 0;
        var remaining = bytes.AsSpan(offset);
        if (remaining.Length < TxLogRecord.FrameHeaderBytes)
        {
            return "truncated record header";
        }

        var length = BinaryPrimitives.ReadUInt32LittleEndian(remaining);
        var checksum = BinaryPrimitives.ReadUInt32LittleEndian(remaining[4..]);
        if (length == 0 || length > remaining.Length - TxLogRecord.FrameHeaderBytes)
        {
            return $"record length {length} runs past the end of the segment";
        }

        var payload = remaining.Slice(TxLogRecord.FrameHeaderBytes, (int)length);
        if (Crc32C.Compute(payload) != checksum)
        {
            return "checksum mismatch";
        }

        if (!TxLogRecord.TryRead(payload, out record, out raw))
        {
            return "unknown record layout";
        }

        framed = TxLogRecord.FrameHeaderBytes + (int)length;
        return null;
    }
}
