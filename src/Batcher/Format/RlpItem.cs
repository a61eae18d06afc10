namespace Batcher.Format;

/// <summary>
/// Minimal strict RLP reading and writing on spans, for splitting EIP-1559 transactions into
/// columns and joining them back. Written here because Nethereum's RLP decoder allocates a tree
/// per transaction, which is far too slow for the batcher's 100 MB/s budget.
/// </summary>
internal static class RlpItem
{
    /// <summary>Reads the item at <paramref name="position"/>; false if it runs past the input or uses a long form where a short one fits.</summary>
    public static bool TryRead(ReadOnlySpan<byte> input, ref int position, out bool isList, out int payloadStart, out int payloadLength)
    {
        isList = false;
        payloadStart = 0;
        payloadLength = 0;
        if (position >= input.Length)
        {
            return false;
        }

        var prefix = input[position];
        if (prefix < 0x80)
        {
            payloadStart = position;
            payloadLength = 1;
            position++;
            return true;
        }

        isList = prefix >= 0xc0;
        var shortBase = isList ? 0xc0 : 0x80;
        var longBase = isList ? 0xf7 : 0xb7;
        if (prefix <= longBase)
        {
            payloadLength = prefix - shortBase;
            payloadStart = position + 1;
        }
        else
        {
            var lengthOfLength = prefix - longBase;
            if (lengthOfLength > 4 || position + 1 + lengthOfLength > input.Length || input[position + 1] == 0)
            {
                return false;
            }

            var length = 0L;
            for (var i = 0; i < lengthOfLength; i++)
            {
                length = (length << 8) | input[position + 1 + i];
            }

            if (length <= 55 || length > int.MaxValue)
            {
                return false;
            }

            payloadLength = (int)length;
            payloadStart = position + 1 + lengthOfLength;
        }

        if ((long)payloadStart + payloadLength > input.Length)
        {
            return false;
        }

        position = payloadStart + payloadLength;
        return true;
    }

    /// <summary>Bytes the RLP header of a string or list payload of <paramref name="payloadLength"/> bytes takes.</summary>
    public static int HeaderLength(int payloadLength) => payloadLength <= 55 ? 1 : 1 + ByteCount((uint)payloadLength);

    /// <summary>Encoded length of a byte string.</summary>
    public static int StringLength(ReadOnlySpan<byte> value) =>
        value.Length == 1 && value[0] < 0x80 ? 1 : HeaderLength(value.Length) + value.Length;

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

    public static int WriteListHeader(Span<byte> destination, int payloadLength) => WriteHeader(destination, payloadLength, 0xc0);

    private static int WriteHeader(Span<byte> destination, int payloadLength, int shortBase)
    {
        if (payloadLength <= 55)
        {
            destination[0] = (byte)(shortBase + payloadLength);
            return 1;
        }

        var count = ByteCount((uint)payloadLength);
        destination[0] = (byte)(shortBase + 55 + count);
        for (var i = 0; i < count; i++)
        {
            destination[count - i] = (byte)(payloadLength >> (8 * i));
        }

        return 1 + count;
    }

    private static int ByteCount(uint value) => value < 0x100 ? 1 : value < 0x10000 ? 2 : value < 0x1000000 ? 3 : 4;
}
