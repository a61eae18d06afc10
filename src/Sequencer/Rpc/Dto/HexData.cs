using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization;
using Primitives;

namespace Sequencer.Rpc.Dto;

/// <summary>
/// DATA ("0x…" hex) written straight from the bytes into the JSON output. A transaction's input as a
/// string would cost four bytes of UTF-16 per byte, per reply (a 120 KB input: a 480 KB string), and a
/// batch holds all its results at once; this holds only a reference to bytes that are in memory anyway.
/// </summary>
[JsonConverter(typeof(HexDataConverter))]
public readonly struct HexData(ReadOnlyMemory<byte> bytes)
{
    public ReadOnlyMemory<byte> Bytes => bytes;

    public override string ToString() => Hex.Encode(bytes.Span);
}

internal sealed class HexDataConverter : JsonConverter<HexData>
{
    public override HexData Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String || reader.ValueIsEscaped || Hex.TryDecodeUtf8(reader.ValueSpan) is not { } bytes)
        {
            throw new JsonException("expected 0x-prefixed hex data");
        }

        return new HexData(bytes);
    }

    public override void Write(Utf8JsonWriter writer, HexData value, JsonSerializerOptions options)
    {
        // "0x" + two digits per byte, in quotes; written raw: hex needs no escaping, and the writer copies it once.
        var length = 4 + (2 * value.Bytes.Length);
        var buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            buffer[0] = (byte)'"';
            Hex.EncodeUtf8(value.Bytes.Span, buffer.AsSpan(1));
            buffer[length - 1] = (byte)'"';
            writer.WriteRawValue(buffer.AsSpan(0, length), skipInputValidation: true);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
