using System.Numerics;

namespace Primitives.Rlp;

/// <summary>
/// Canonical RLP writing on spans: the batcher joins transactions back from columns with it, and
/// the sequencer writes the few headers a signing hash needs. Written here because Nethereum's RLP
/// encoder allocates an array per item, far too slow for the batcher's 100 MB/s budget. Callers
/// size the destination with <see cref="HeaderLength"/> and <see cref="StringLength"/>.
/// </summary>
public static class RlpWriter
{
    /// <summary>The longest header: a prefix byte and up to 8 length bytes.</summary>
    public const int MaxHeaderLength = 9;

    /// <summary>Bytes the RLP header of a string or list payload of <paramref name="payloadLength"/> bytes takes.</summary>
    public static int HeaderLength(int payloadLength) => payloadLength <= 55 ? 1 : 1 + ByteCount((ulong)payloadLength);

    /// <summary>Encoded length of an unsigned integer (what <see cref="WriteUInt64"/> writes).</summary>
    public static int UInt64Length(ulong value) => value is > 0 and < 0x80 ? 1 : 1 + (value == 0 ? 0 : ByteCount(value));

    /// <summary>Encoded length of a byte string.</summary>
    public static int StringLength(ReadOnlySpan<byte> value) =>
        value.Length == 1 && value[0] < 0x80 ? 1 : HeaderLength(value.Length) + value.Length;

    /// <summary>Writes a byte string (a single byte below 0x80 stands for itself); returns the bytes written.</summary>
    public static int WriteString(Span<byte> destination, ReadOnlySpan<byte> value)
    {
        if (value.Length == 1 && value[0] < 0x80)
        {
            destination[0] = value[0];
            return 1;
        }

        var header = WriteHeader(destination, value.Length, 0x80);
        value.CopyTo(destination[header..]);
        return header + value.Length;
    }

    /// <summary>Writes the header of a list whose items take <paramref name="payloadLength"/> bytes.</summary>
    public static int WriteListHeader(Span<byte> destination, int payloadLength) => WriteHeader(destination, payloadLength, 0xc0);

    /// <summary>Writes an unsigned integer: big-endian without leading zeros, zero as the empty string (at most 9 bytes).</summary>
    public static int WriteUInt64(Span<byte> destination, ulong value)
    {
        if (value is > 0 and < 0x80)
        {
            destination[0] = (byte)value;
            return 1;
        }

        var length = value == 0 ? 0 : ByteCount(value);
        destination[0] = (byte)(0x80 + length);
        WriteBigEndian(value, destination.Slice(1, length));
        return 1 + length;
    }

    private static int WriteHeader(Span<byte> destination, int payloadLength, int shortBase)
    {
        if (payloadLength <= 55)
        {
            destination[0] = (byte)(shortBase + payloadLength);
            return 1;
        }

        var count = ByteCount((ulong)payloadLength);
        destination[0] = (byte)(shortBase + 55 + count);
        WriteBigEndian((ulong)payloadLength, destination.Slice(1, count));
        return 1 + count;
    }

    private static int ByteCount(ulong value) => (64 - BitOperations.LeadingZeroCount(value) + 7) / 8;

    private static void WriteBigEndian(ulong value, Span<byte> destination)
    {
        for (var i = destination.Length - 1; i >= 0; i--)
        {
            destination[i] = (byte)value;
            value >>= 8;
        }
    }
}
