using Primitives;
using Primitives.Rlp;

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
        Span<byte> head = stackalloc byte[1 + RlpWriter.MaxHeaderLength];
        head[0] = (byte)type;
        var headerLength = RlpWriter.WriteListHeader(head[1..], unsignedFields.Length);
        return Keccak.Hash(head[..(1 + headerLength)], unsignedFields);
    }

    /// <summary>EIP-155: keccak256(rlp([nonce, gasPrice, gas, to, value, data, chainId, 0, 0])).</summary>
    public static Hash32 ForLegacy(ReadOnlySpan<byte> firstSixFields, ulong chainId)
    {
        Span<byte> tail = stackalloc byte[1 + 8 + 2];
        var tailLength = RlpWriter.WriteUInt64(tail, chainId);
        tail[tailLength++] = 0x80;
        tail[tailLength++] = 0x80;

        Span<byte> header = stackalloc byte[RlpWriter.MaxHeaderLength];
        var headerLength = RlpWriter.WriteListHeader(header, firstSixFields.Length + tailLength);
        return Keccak.Hash(header[..headerLength], firstSixFields, tail[..tailLength]);
    }
}
