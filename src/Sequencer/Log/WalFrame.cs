using System.Buffers.Binary;

namespace Sequencer.Log;

/// <summary>How a frame at one offset of a segment reads back.</summary>
internal enum FrameStatus
{
    Valid,

    /// <summary>The file ends inside the frame: its header, or the payload its intact header announces, is cut off.</summary>
    Truncated,

    /// <summary>The header is all there but its checksum or its values are wrong.</summary>
    HeaderDamaged,

    /// <summary>The header is intact and the payload all there, but the payload's checksum or layout is wrong.</summary>
    PayloadDamaged,
}

/// <summary>The header of one record frame, as read back.</summary>
internal readonly record struct WalFrameHeader(int PayloadLength, uint PayloadChecksum, long Sequence, long WriteEnd)
{
    public int FramedLength => WalFrame.HeaderBytes + PayloadLength;
}

/// <summary>
/// The frame around each log record: <c>u32 headerCrc | u32 payloadLength | u32 payloadCrc | u64 sequence | u64 writeEnd</c>
/// (little-endian, CRC-32C; headerCrc covers the 24 bytes after it), then the payload.
/// </summary>
/// <remarks>
/// Why the header carries more than a length and a checksum: recovery has to tell a torn write (never confirmed,
/// safe to cut) from damage to confirmed records. The header checksum lets it recognise a valid record at any byte
/// offset cheaply, even after a damaged length field hid where the next record starts; the sequence says whether a
/// record found that way belongs where it was found; and <c>writeEnd</c>, the segment length after the group-commit
/// write that carried the record, proves durability: the flusher starts a write only after the fsync of the previous
/// one returned, so any byte of the file past a record's <c>writeEnd</c> proves that record's write was fsynced
/// (and so possibly confirmed). The writer fills in the payload fields; the flusher stamps <c>writeEnd</c> and the
/// header checksum with <see cref="Seal"/> once it knows where the write goes.
/// </remarks>
internal static class WalFrame
{
    public const int HeaderBytes = 28;

    /// <summary>Far above any record the sequencer writes (raw transactions are bounded by Transactions:MaxEncodedBytes).</summary>
    public const int MaxPayloadBytes = 16 << 20;

    public const int MinPayloadBytes = TxLogRecord.FixedPayloadBytes + 1;

    public const int MinFramedBytes = HeaderBytes + MinPayloadBytes;

    private const int LengthAt = 4;
    private const int PayloadCrcAt = 8;
    private const int SequenceAt = 12;
    private const int WriteEndAt = 20;

    /// <summary>Writes the header fields the writer knows; <paramref name="frame"/> holds the payload after <see cref="HeaderBytes"/>.</summary>
    public static void WriteUnsealed(Span<byte> frame, long sequence)
    {
        var payload = frame[HeaderBytes..];
        BinaryPrimitives.WriteUInt32LittleEndian(frame[LengthAt..], (uint)payload.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(frame[PayloadCrcAt..], Crc32C.Compute(payload));
        BinaryPrimitives.WriteInt64LittleEndian(frame[SequenceAt..], sequence);
    }

    /// <summary>
    /// Stamps every frame of one write (consecutive frames, as the writer appended them) with the segment length
    /// after the write, and seals each header with its checksum. Idempotent: a retried write seals again.
    /// </summary>
    public static void Seal(Span<byte> frames, long writeEnd)
    {
        var offset = 0;
        while (offset < frames.Length)
        {
            var frame = frames[offset..];
            BinaryPrimitives.WriteInt64LittleEndian(frame[WriteEndAt..], writeEnd);
            BinaryPrimitives.WriteUInt32LittleEndian(frame, Crc32C.Compute(frame[LengthAt..HeaderBytes]));
            offset += HeaderBytes + (int)BinaryPrimitives.ReadUInt32LittleEndian(frame[LengthAt..]);
        }
    }

    /// <summary>Reads the frame at <paramref name="offset"/> of a whole segment's bytes and checks both checksums.</summary>
    public static FrameStatus Read(ReadOnlySpan<byte> segment, int offset, out WalFrameHeader header) =>
        Read(segment, offset, 0, out header);

    /// <summary>
    /// Reads the frame at <paramref name="at"/> of <paramref name="window"/>, the bytes of a segment from file offset
    /// <paramref name="windowStart"/> to its end (or to the end of what was read), and checks both checksums.
    /// </summary>
    public static FrameStatus Read(ReadOnlySpan<byte> window, int at, long windowStart, out WalFrameHeader header)
    {
        header = default;
        var remaining = window[at..];
        if (remaining.Length < HeaderBytes)
        {
            return FrameStatus.Truncated;
        }

        if (!TryReadHeader(remaining, windowStart + at, out header))
        {
            return FrameStatus.HeaderDamaged;
        }

        if (header.FramedLength > remaining.Length)
        {
            return FrameStatus.Truncated;
        }

        var payload = remaining.Slice(HeaderBytes, header.PayloadLength);
        return Crc32C.Compute(payload) == header.PayloadChecksum && TxLogRecord.HasSequence(payload, header.Sequence)
            ? FrameStatus.Valid
            : FrameStatus.PayloadDamaged;
    }

    /// <summary>The payload of a frame that <see cref="Read(ReadOnlySpan{byte}, int, out WalFrameHeader)"/> found valid.</summary>
    public static ReadOnlySpan<byte> Payload(ReadOnlySpan<byte> segment, int offset, in WalFrameHeader header) =>
        segment.Slice(offset + HeaderBytes, header.PayloadLength);

    /// <summary>
    /// The header check alone, with the sanity rules a header that passed its checksum must also meet
    /// (a length the log could have written, a write that ends at or after the record).
    /// </summary>
    private static bool TryReadHeader(ReadOnlySpan<byte> frame, long offset, out WalFrameHeader header)
    {
        var length = BinaryPrimitives.ReadUInt32LittleEndian(frame[LengthAt..]);
        var sequence = BinaryPrimitives.ReadInt64LittleEndian(frame[SequenceAt..]);
        var writeEnd = BinaryPrimitives.ReadInt64LittleEndian(frame[WriteEndAt..]);
        header = new WalFrameHeader((int)Math.Min(length, int.MaxValue), BinaryPrimitives.ReadUInt32LittleEndian(frame[PayloadCrcAt..]), sequence, writeEnd);
        return BinaryPrimitives.ReadUInt32LittleEndian(frame) == Crc32C.Compute(frame[LengthAt..HeaderBytes])
            && length is >= MinPayloadBytes and <= MaxPayloadBytes
            && sequence >= 0
            && writeEnd >= offset + HeaderBytes + length;
    }

    /// <summary>
    /// Cheap first test for scanning every byte offset: the length is one the log could write and the sequence lies in
    /// [<paramref name="lowestSequence"/>, <paramref name="highestSequence"/>]. Only offsets that pass get checksummed.
    /// </summary>
    public static bool MightStartFrame(ReadOnlySpan<byte> segment, int offset, long lowestSequence, long highestSequence)
    {
        if (segment.Length - offset < MinFramedBytes)
        {
            return false;
        }

        var length = BinaryPrimitives.ReadUInt32LittleEndian(segment[(offset + LengthAt)..]);
        if (length is < MinPayloadBytes or > MaxPayloadBytes)
        {
            return false;
        }

        var sequence = BinaryPrimitives.ReadInt64LittleEndian(segment[(offset + SequenceAt)..]);
        return sequence >= lowestSequence && sequence <= highestSequence;
    }
}
