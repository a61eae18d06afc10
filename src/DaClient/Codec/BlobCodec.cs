using System.Buffers.Binary;
using System.Numerics;

namespace DaClient.Codec;

/// <summary>
/// EigenDA payload encoding version 0: payload → blob of 32-byte bn254 field elements.
/// <code>
/// symbol 0     : 0x00, 0x00 (version), uint32 BE payload length, 26 × 0x00
/// symbols 1..k : 0x00 ‖ next 31 payload bytes (last chunk zero-padded)
/// then zero symbols up to a power-of-two symbol count
/// </code>
/// The leading 0x00 of every symbol keeps each 32-byte big-endian word below the field modulus.
/// The blob is used in coefficient form (no IFFT) — see docs/da.md.
/// </summary>
public static class BlobCodec
{
    public const int SymbolSize = 32;
    public const int BytesPerSymbolPayload = 31;
    public const byte PayloadEncodingVersion0 = 0x00;

    /// <summary>Largest blob the disperser accepts: 16 MiB.</summary>
    public const int MaxBlobBytes = 16 * 1024 * 1024;

    /// <summary>Largest payload that fits a 16 MiB blob: (524288 − 1) × 31 bytes.</summary>
    public const int MaxPayloadBytes = (MaxBlobBytes / SymbolSize - 1) * BytesPerSymbolPayload;

    /// <summary>The bn254 scalar field modulus every symbol must stay below.</summary>
    public static readonly BigInteger FieldModulus = BigInteger.Parse("21888242871839275222246405745257275088548364400416034343698204186575808495617", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Symbols a blob for a payload of <paramref name="payloadLength"/> bytes has (a power of two).</summary>
    public static int SymbolCount(int payloadLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(payloadLength);
        var bodySymbols = (payloadLength + BytesPerSymbolPayload - 1) / BytesPerSymbolPayload;
        return (int)BitOperations.RoundUpToPowerOf2((uint)(1 + bodySymbols));
    }

    /// <summary>Bytes of the blob for a payload of <paramref name="payloadLength"/> bytes.</summary>
    public static int BlobLength(int payloadLength) => SymbolCount(payloadLength) * SymbolSize;

    public static byte[] Encode(ReadOnlySpan<byte> payload)
    {
        if (payload.Length > MaxPayloadBytes)
        {
            throw new DaRejectedException($"payload of {payload.Length} bytes exceeds the largest blob payload ({MaxPayloadBytes} bytes)");
        }

        var blob = new byte[BlobLength(payload.Length)];
        blob[1] = PayloadEncodingVersion0;
        BinaryPrimitives.WriteUInt32BigEndian(blob.AsSpan(2, 4), (uint)payload.Length);
        var target = blob.AsSpan(SymbolSize);
        while (!payload.IsEmpty)
        {
            var take = Math.Min(BytesPerSymbolPayload, payload.Length);
            // target[0] stays 0x00: the guard byte of the symbol.
            payload[..take].CopyTo(target[1..]);
            payload = payload[take..];
            target = target[SymbolSize..];
        }

        return blob;
    }

    /// <summary>
    /// Inverse of <see cref="Encode"/>. Accepts a blob whose trailing zero bytes were cut (relays
    /// may do that); rejects anything that does not follow the layout.
    /// </summary>
    public static byte[] Decode(ReadOnlySpan<byte> blob)
    {
        if (blob.Length < 6)
        {
            throw new DaCertificateInvalidException($"blob of {blob.Length} bytes is shorter than the payload header");
        }

        if (blob[0] != 0x00)
        {
            throw new DaCertificateInvalidException("blob header symbol does not start with 0x00");
        }

        if (blob[1] != PayloadEncodingVersion0)
        {
            throw new DaCertificateInvalidException($"unsupported payload encoding version {blob[1]}");
        }

        var length = BinaryPrimitives.ReadUInt32BigEndian(blob.Slice(2, 4));
        if (length > MaxPayloadBytes)
        {
            throw new DaCertificateInvalidException($"blob claims a payload of {length} bytes, more than any blob can hold");
        }

        var payload = new byte[length];
        var target = payload.AsSpan();
        var symbols = blob.Length > SymbolSize ? blob[SymbolSize..] : [];
        while (!target.IsEmpty)
        {
            var take = Math.Min(BytesPerSymbolPayload, target.Length);
            if (symbols.IsEmpty)
            {
                // The rest was trailing zeros that a relay cut; the array is already zero.
                break;
            }

            if (symbols[0] != 0)
            {
                throw new DaCertificateInvalidException($"blob symbol at byte {blob.Length - symbols.Length} does not start with 0x00");
            }

            var available = Math.Min(take, symbols.Length - 1);
            symbols.Slice(1, available).CopyTo(target);
            target = target[take..];
            symbols = symbols.Length > SymbolSize ? symbols[SymbolSize..] : [];
        }

        return payload;
    }

    /// <summary>True if every 32-byte big-endian word of <paramref name="blob"/> is below <see cref="FieldModulus"/>.</summary>
    public static bool IsFieldElementSafe(ReadOnlySpan<byte> blob)
    {
        if (blob.Length % SymbolSize != 0)
        {
            return false;
        }

        Span<byte> modulus = stackalloc byte[SymbolSize];
        FieldModulus.TryWriteBytes(modulus, out _, isUnsigned: true, isBigEndian: true);
        for (var offset = 0; offset < blob.Length; offset += SymbolSize)
        {
            // Big-endian words compare like byte strings.
            if (blob.Slice(offset, SymbolSize).SequenceCompareTo(modulus) >= 0)
            {
                return false;
            }
        }

        return true;
    }
}
