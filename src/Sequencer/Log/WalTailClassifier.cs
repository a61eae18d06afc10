using System.Globalization;

namespace Sequencer.Log;

/// <summary>
/// Decides whether the first bad record of a segment is a torn write, which recovery may cut, or damage to records
/// that may have been confirmed, which stops the start.
/// </summary>
/// <remarks>
/// <para>What a crash can leave. The flusher writes one group of records with one positioned write, fsyncs, and only
/// then answers the group's clients and starts the next write. So everything before the last write of the newest
/// segment was fsynced, and a crash can only damage that last write: a process killed mid-write leaves a prefix of it
/// (the file ends inside a record); a power cut can also leave any of its sectors unwritten, which the filesystem
/// reads back as zeros, with whatever sectors did reach the disk after them, so valid records of the same unfinished
/// write may follow a zero-filled hole. A crash cannot change a byte it wrote into another non-zero byte.</para>
/// <para>The rule. The bad record is a torn write only if (1) it is in the newest segment (a later segment proves every
/// write to this one was fsynced); (2) nothing proves its write was fsynced: no byte of the file lies past the end of the
/// write it shares with the record before it, and no valid record after it belongs to a write that ends before the
/// file does (<see cref="WalFrame"/> stamps each record with the end of its write); and (3) it looks torn: the file ends
/// inside it, or it holds a zero-filled sector. (The bad record's own header, when its checksum holds, is evidence
/// too.) Anything else is damage and stops the start with the file, the offset
/// and the valid records that follow.</para>
/// <para>What no format can tell without a second copy somewhere else: damage shaped like a crash during a write
/// that in fact had been fsynced. A file cut short anywhere in the newest segment reads as a crash during the write
/// the cut falls in, and so does a zero fill from the first record header of a write to the end of the file (all
/// evidence of later writes is gone with it; only the file length is left, and the end of that write is unknown).
/// Zero-filled sectors confined to the last write read as torn as well. A record
/// that holds a zero-filled 512-byte sector of its own (a transaction with that many zero bytes of data) and is then
/// damaged elsewhere also reads as torn if it is in the last write.</para>
/// <para>The scan for valid records after the bad one checks every byte offset, so it finds them even when the bad
/// record's length field is what was damaged; a length-and-sequence test screens offsets before any checksum.
/// A record found that way only ever adds evidence of damage, so a look-alike inside some transaction's data
/// cannot make recovery cut more.</para>
/// </remarks>
internal static class WalTailClassifier
{
    /// <summary>The unit a disk writes atomically; a lost one reads back as zeros.</summary>
    private const int SectorBytes = 512;

    /// <summary>A zero-filled stretch shorter than this is no evidence of a lost sector (real records hold short zero runs).</summary>
    private const int MinZeroRun = 8;

    /// <param name="segmentPath">For the message.</param>
    /// <param name="segment">The whole segment file.</param>
    /// <param name="offset">Where the bad record starts.</param>
    /// <param name="status">How the frame at <paramref name="offset"/> read.</param>
    /// <param name="header">Its header, meaningful (checksum verified) only if the status is a damaged payload.</param>
    /// <param name="expectedSequence">The sequence the bad record should hold.</param>
    /// <param name="previousWriteEnd">The write end stamped on the last good record before it in this segment, or -1.</param>
    /// <param name="isNewestSegment">False if any segment follows this one.</param>
    public static WalDamage Classify(
        string segmentPath,
        ReadOnlySpan<byte> segment,
        int offset,
        FrameStatus status,
        in WalFrameHeader header,
        long expectedSequence,
        long previousWriteEnd,
        bool isNewestSegment)
    {
        var followers = FindValidRecords(segment, offset + 1, expectedSequence, out var fsyncedFollower);
        var problem = status switch
        {
            FrameStatus.Truncated => "the file ends inside this record",
            FrameStatus.HeaderDamaged => "record header checksum or values wrong",
            _ => "record payload checksum or layout wrong",
        };

        string? damage = null;
        if (!isNewestSegment)
        {
            damage = "a later segment exists, so every write to this one was fsynced";
        }
        else if (previousWriteEnd > offset && previousWriteEnd < segment.Length)
        {
            damage = Invariant($"the write holding it ended at byte {previousWriteEnd} and the file goes on after that, so that write was fsynced");
        }
        else if (status == FrameStatus.PayloadDamaged && header.WriteEnd < segment.Length)
        {
            damage = Invariant($"its own intact header says its write ended at byte {header.WriteEnd} and the file goes on after that, so that write was fsynced");
        }
        else if (fsyncedFollower is { } proof)
        {
            damage = Invariant(
                $"the record at offset {proof.Offset} was written by a write that ended at byte {proof.WriteEnd}, before the file does, so everything up to there was fsynced");
        }

        if (damage is not null)
        {
            return new WalDamage(segmentPath, offset, expectedSequence, problem, IsTornWrite: false,
                damage + ": these records may have been confirmed", followers, segment.Length);
        }

        var regionEnd = followers.Count > 0 ? followers.FirstOffset : segment.Length;
        if (status == FrameStatus.Truncated)
        {
            return new WalDamage(segmentPath, offset, expectedSequence, problem, IsTornWrite: true,
                "a write cut short by a crash; nothing in it was confirmed", followers, segment.Length);
        }

        if (FindZeroFilledStretch(segment, offset, regionEnd) is { } zeros)
        {
            return new WalDamage(segmentPath, offset, expectedSequence, problem, IsTornWrite: true,
                Invariant($"bytes {zeros} are zero-filled, as a crash leaves the unwritten sectors of the last write; nothing in that write was confirmed"),
                followers, segment.Length);
        }

        return new WalDamage(segmentPath, offset, expectedSequence, problem, IsTornWrite: false,
            "the record is complete and not zero-filled, which a crash cannot leave: it was damaged after it was written and may have been confirmed",
            followers, segment.Length);
    }

    /// <summary>
    /// Every valid record from <paramref name="from"/> on whose sequence could follow <paramref name="expectedSequence"/>
    /// (at least it, and no more than the bytes left could hold). Also the first of them whose write ended before the
    /// file does: proof that its write, and everything before it, was fsynced.
    /// </summary>
    private static WalRecordsFound FindValidRecords(ReadOnlySpan<byte> segment, int from, long expectedSequence, out (int Offset, long WriteEnd)? fsynced)
    {
        fsynced = null;
        var highest = expectedSequence + ((segment.Length - from) / WalFrame.MinFramedBytes) + 1;
        int count = 0, firstOffset = -1;
        long firstSequence = -1, lastSequence = -1;
        var offset = from;
        while (offset <= segment.Length - WalFrame.MinFramedBytes)
        {
            if (!WalFrame.MightStartFrame(segment, offset, expectedSequence, highest)
                || WalFrame.Read(segment, offset, out var header) != FrameStatus.Valid)
            {
                offset++;
                continue;
            }

            if (count++ == 0)
            {
                firstOffset = offset;
                firstSequence = header.Sequence;
            }

            lastSequence = header.Sequence;
            if (fsynced is null && header.WriteEnd < segment.Length)
            {
                fsynced = (offset, header.WriteEnd);
            }

            offset += header.FramedLength;
        }

        return count == 0 ? WalRecordsFound.None : new WalRecordsFound(count, firstOffset, firstSequence, lastSequence);
    }

    /// <summary>
    /// A stretch of [<paramref name="start"/>, <paramref name="end"/>) between sector boundaries (or the range's own
    /// ends) that is all zeros and at least <see cref="MinZeroRun"/> long, as "from-to", or null.
    /// </summary>
    private static string? FindZeroFilledStretch(ReadOnlySpan<byte> segment, int start, int end)
    {
        var chunkStart = start;
        while (chunkStart < end)
        {
            var chunkEnd = (int)Math.Min(end, ((chunkStart / SectorBytes) + 1L) * SectorBytes);
            var chunk = segment[chunkStart..chunkEnd];
            if (chunk.Length >= MinZeroRun && !chunk.ContainsAnyExcept((byte)0))
            {
                return Invariant($"{chunkStart}-{chunkEnd}");
            }

            chunkStart = chunkEnd;
        }

        return null;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
