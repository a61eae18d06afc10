using System.Buffers.Binary;
using Primitives;

namespace Sequencer.Log;

/// <summary>
/// One sequenced transaction as the write-ahead log stores it. Everything needed to rebuild the
/// sequencer's state without re-running signature recovery: sender, nonce and gas are kept.
/// </summary>
/// <remarks>
/// On disk a record is a frame header (<see cref="WalFrame"/>) followed by the payload
/// <c>u8 kind(1) | u64 sequence | u64 block | u32 index | u64 timestamp | u64 nonce | u64 gasLimit |
/// sender[20] | accumulator[32] | raw transaction</c> (little-endian). A record written by the leader of a replica set
/// carries its leader's epoch (docs/replication.md, "Epochs in the log"): kind 2, the same fields with
/// <c>u64 epoch</c> between the accumulator and the raw transaction. Epoch 0 (a single node) is written as kind 1, so a
/// single node's log is unchanged and every older log reads back (as epoch 0). The log is private to one sequencer; the
/// public, portable format is the batch format (docs/batch-format.md).
/// </remarks>
internal readonly record struct TxLogRecord(
    long Sequence,
    ulong BlockNumber,
    uint Index,
    ulong Timestamp,
    ulong Nonce,
    ulong GasLimit,
    Address Sender,
    Hash32 Accumulator,
    long Epoch = 0)
{
    public const byte Kind = 1;

    /// <summary>A record with an epoch (<see cref="Epoch"/> above 0).</summary>
    public const byte EpochKind = 2;
    public const int FrameHeaderBytes = WalFrame.HeaderBytes;
    public const int FixedPayloadBytes = 1 + 8 + 8 + 4 + 8 + 8 + 8 + Address.Length + Hash32.Length;
    public const int EpochPayloadBytes = FixedPayloadBytes + 8;

    /// <summary>The framed length of a record without an epoch.</summary>
    public static int FramedLength(int rawLength) => FrameHeaderBytes + FixedPayloadBytes + rawLength;

    /// <summary>The bytes of the fixed fields of this record's kind.</summary>
    public int FixedBytes => Epoch == 0 ? FixedPayloadBytes : EpochPayloadBytes;

    /// <summary>The framed length of this record with a raw transaction of <paramref name="rawLength"/> bytes.</summary>
    public int FramedLengthWith(int rawLength) => FrameHeaderBytes + FixedBytes + rawLength;

    /// <summary>
    /// Writes the framed record, not yet sealed (<see cref="WalFrame.Seal"/> stamps the write it goes out with);
    /// <paramref name="destination"/> must hold <see cref="FramedLength"/> bytes.
    /// </summary>
    public void WriteFramed(ReadOnlySpan<byte> raw, Span<byte> destination)
    {
        var payload = destination.Slice(FrameHeaderBytes, FixedBytes + raw.Length);
        WritePayload(raw, payload);
        WalFrame.WriteUnsealed(destination[..(FrameHeaderBytes + payload.Length)], Sequence);
    }

    /// <summary>Writes the payload alone (what <see cref="TryRead"/> reads); <paramref name="payload"/> must hold <see cref="FixedBytes"/> + the raw length.</summary>
    public void WritePayload(ReadOnlySpan<byte> raw, Span<byte> payload)
    {
        payload[0] = Epoch == 0 ? Kind : EpochKind;
        BinaryPrimitives.WriteInt64LittleEndian(payload[1..], Sequence);
        BinaryPrimitives.WriteUInt64LittleEndian(payload[9..], BlockNumber);
        BinaryPrimitives.WriteUInt32LittleEndian(payload[17..], Index);
        BinaryPrimitives.WriteUInt64LittleEndian(payload[21..], Timestamp);
        BinaryPrimitives.WriteUInt64LittleEndian(payload[29..], Nonce);
        BinaryPrimitives.WriteUInt64LittleEndian(payload[37..], GasLimit);
        Sender.Bytes.CopyTo(payload[45..]);
        Accumulator.Bytes.CopyTo(payload[65..]);
        if (Epoch != 0)
        {
            BinaryPrimitives.WriteInt64LittleEndian(payload[FixedPayloadBytes..], Epoch);
        }

        raw.CopyTo(payload[FixedBytes..]);
    }

    /// <summary>True if <paramref name="payload"/> has this layout and holds <paramref name="sequence"/>, as its frame header says.</summary>
    public static bool HasSequence(ReadOnlySpan<byte> payload, long sequence) =>
        payload.Length > FixedBytesOf(payload) && BinaryPrimitives.ReadInt64LittleEndian(payload[1..]) == sequence;

    /// <summary>Reads a payload whose checksum was already verified. False if its layout is wrong.</summary>
    public static bool TryRead(ReadOnlySpan<byte> payload, out TxLogRecord record, out ReadOnlySpan<byte> raw)
    {
        var fixedBytes = FixedBytesOf(payload);
        long epoch = 0;
        if (payload.Length <= fixedBytes
            || (fixedBytes == EpochPayloadBytes && (epoch = BinaryPrimitives.ReadInt64LittleEndian(payload[FixedPayloadBytes..])) <= 0))
        {
            record = default;
            raw = default;
            return false;
        }

        record = new TxLogRecord(
            BinaryPrimitives.ReadInt64LittleEndian(payload[1..]),
            BinaryPrimitives.ReadUInt64LittleEndian(payload[9..]),
            BinaryPrimitives.ReadUInt32LittleEndian(payload[17..]),
            BinaryPrimitives.ReadUInt64LittleEndian(payload[21..]),
            BinaryPrimitives.ReadUInt64LittleEndian(payload[29..]),
            BinaryPrimitives.ReadUInt64LittleEndian(payload[37..]),
            new Address(payload.Slice(45, Address.Length)),
            new Hash32(payload.Slice(65, Hash32.Length)),
            epoch);
        raw = payload[fixedBytes..];
        return true;
    }

    /// <summary>The fixed bytes of the payload's kind; <see cref="int.MaxValue"/> for an unknown kind (so no payload is long enough).</summary>
    private static int FixedBytesOf(ReadOnlySpan<byte> payload) => payload.IsEmpty ? int.MaxValue : payload[0] switch
    {
        Kind => FixedPayloadBytes,
        EpochKind => EpochPayloadBytes,
        _ => int.MaxValue,
    };
}
