using System.Buffers;
using System.Buffers.Binary;
using Primitives;
using Primitives.Crypto;
using Primitives.Rlp;

namespace Admission.Accounts;

/// <summary>
/// Builds and signs the wire form of a sponsored transaction: EIP-1559 (type 2) with both fees zero and
/// no access list. The signing payload and the signed transaction share every field but the signature, so
/// the fields are written once and copied. The bytes are exactly what Nethereum's <c>Transaction1559</c>
/// encoded before this replaced it (a test compares the two), so transaction hashes did not change.
/// </summary>
internal static class SponsoredTransactionEncoding
{
    private const byte TypeByte = 0x02;

    /// <summary>Signs with <paramref name="privateKey"/> and returns the raw transaction; <paramref name="hash"/> is keccak256 of it.</summary>
    public static byte[] Sign(
        ReadOnlySpan<byte> privateKey, ulong chainId, ulong nonce, ulong gas, in Address to, UInt128 value, ReadOnlySpan<byte> data, out Hash32 hash)
    {
        Span<byte> valueBytes = stackalloc byte[16];
        BinaryPrimitives.WriteUInt128BigEndian(valueBytes, value);
        valueBytes = TrimLeadingZeros(valueBytes);

        // chainId, nonce, maxPriorityFeePerGas (0), maxFeePerGas (0), gas, to, value, data, accessList ([]).
        var fieldsLength = RlpWriter.UInt64Length(chainId) + RlpWriter.UInt64Length(nonce) + 1 + 1 + RlpWriter.UInt64Length(gas)
            + RlpWriter.StringLength(to.Bytes) + RlpWriter.StringLength(valueBytes) + RlpWriter.StringLength(data) + 1;
        var unsignedLength = 1 + RlpWriter.HeaderLength(fieldsLength) + fieldsLength;
        var buffer = ArrayPool<byte>.Shared.Rent(unsignedLength);
        try
        {
            var unsigned = buffer.AsSpan(0, unsignedLength);
            unsigned[0] = TypeByte;
            var fieldsStart = 1 + RlpWriter.WriteListHeader(unsigned[1..], fieldsLength);
            WriteFields(unsigned[fieldsStart..], chainId, nonce, gas, to, valueBytes, data);
            var fields = unsigned[fieldsStart..];

            Span<byte> compact = stackalloc byte[Secp256k1Signer.CompactLength];
            var recoveryId = Secp256k1Signer.SignCompact(privateKey, Keccak.Hash(unsigned).Bytes, compact);

            // RLP integers are minimal: no leading zero bytes, and y-parity 0 is the empty string.
            var r = TrimLeadingZeros(compact[..32]);
            var s = TrimLeadingZeros(compact[32..]);
            var payloadLength = fieldsLength + RlpWriter.UInt64Length(recoveryId) + RlpWriter.StringLength(r) + RlpWriter.StringLength(s);
            var raw = new byte[1 + RlpWriter.HeaderLength(payloadLength) + payloadLength];
            raw[0] = TypeByte;
            var at = 1 + RlpWriter.WriteListHeader(raw.AsSpan(1), payloadLength);
            fields.CopyTo(raw.AsSpan(at));
            at += fields.Length;
            at += RlpWriter.WriteUInt64(raw.AsSpan(at), recoveryId);
            at += RlpWriter.WriteString(raw.AsSpan(at), r);
            RlpWriter.WriteString(raw.AsSpan(at), s);
            hash = Keccak.Hash(raw);
            return raw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static void WriteFields(Span<byte> destination, ulong chainId, ulong nonce, ulong gas, in Address to, ReadOnlySpan<byte> value, ReadOnlySpan<byte> data)
    {
        var at = RlpWriter.WriteUInt64(destination, chainId);
        at += RlpWriter.WriteUInt64(destination[at..], nonce);
        at += RlpWriter.WriteUInt64(destination[at..], 0);
        at += RlpWriter.WriteUInt64(destination[at..], 0);
        at += RlpWriter.WriteUInt64(destination[at..], gas);
        at += RlpWriter.WriteString(destination[at..], to.Bytes);
        at += RlpWriter.WriteString(destination[at..], value);
        at += RlpWriter.WriteString(destination[at..], data);
        RlpWriter.WriteListHeader(destination[at..], 0);
    }

    private static Span<byte> TrimLeadingZeros(Span<byte> value)
    {
        var start = value.IndexOfAnyExcept((byte)0);
        return start < 0 ? [] : value[start..];
    }
}
