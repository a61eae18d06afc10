using System.Buffers.Binary;
using System.Numerics;
using Sequencer.Primitives;

namespace Sequencer.Transactions;

/// <summary>
/// The hash a sender signs, computed from slices of the raw transaction. The unsigned payload
/// is the signed list minus its signature fields; since the decoder has already checked that
/// every field is canonical, the field bytes can be hashed as they are, under a new list header,
/// without re-encoding or copying them.
/// </summary>
internal static class SigningHash
{
    /// <summary>EIP-2718: keccak256(type ‖ rlp([fields without yParity, r, s])).</summary>
    public static Hash32 ForTyped(TxType type, ReadOnlySpan<byte> unsignedFields)
    {
        Span<byte> head = stackalloc byte[1 + 9];
        head[0] = (byte)type;
        var headerLength = WriteListHeader(unsignedFields.Length, head[1..]);
        return Keccak.Hash(head[..(1 + headerLength)], unsignedFields);
    }

    /// <summary>EIP-155: keccak256(rlp([nonce, gasPrice, gas, to, value, data, chainId, 0, 0])).</summary>
    public static Hash32 ForLegacy(ReadOnlySpan<byte> firstSixFields, ulong chainId)
    {
        Span<byte> tail = stackalloc byte[1 + 8 + 2];
        var tailLength = WriteInteger(chainId, tail);
        tail[tailLength++] = 0x80;
        tail[tailLength++] = 0x80;

        Span<byte> header = stackalloc byte[9];
        var headerLength = WriteListHeader(firstSixFields.Length + tailLength, header);
        return Keccak.Hash(header[..headerLength], firstSixFields, tail[..tailLength]);
    }

    private static int WriteListHeader(int payloadLength, Span<byte> destination)
    {
        if (payloadLength < 56)
        {
            destination[0] = (byte)(0xc0 + payloadLength);
            return 1;
        }

        var lengthBytes = MinimalLength((ulong)payloadLength);
        destination[0] = (byte)(0xf7 + lengthBytes);
        WriteBigEndian((ulong)payloadLength, destination.Slice(1, lengthBytes));
        return 1 + lengthBytes;
    }

    private static int WriteInteger(ulong value, Span<byte> destination)
    {
        if (value == 0)
        {
            destination[0] = 0x80;
            return 1;
        }

        if (value < 0x80)
        {
            destination[0] = (byte)value;
            return 1;
        }

        var length = MinimalLength(value);
        destination[0] = (byte)(0x80 + length);
        WriteBigEndian(value, destination.Slice(1, length));
        return 1 + length;
    }

    private static int MinimalLength(ulong value) => (64 - BitOperations.LeadingZeroCount(value) + 7) / 8;

    private static void WriteBigEndian(ulong value, Span<byte> destination)
    {
        Span<byte> full = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(full, value);
        full[(8 - destination.Length)..].CopyTo(destination);
    }
}
