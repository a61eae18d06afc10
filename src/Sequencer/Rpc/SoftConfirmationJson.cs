using System.Text.Json;
using Primitives;
using Sequencer.Chain;
using Sequencer.Sequencing;

namespace Sequencer.Rpc;

/// <summary>
/// The signed soft confirmation written straight as UTF-8 JSON: the same members, order and text as
/// <see cref="Dto.SoftConfirmationDto"/> serialized (a test holds them equal), without its eight strings per reply.
/// sequencer_sendRawTransaction answers every transaction with one (docs/benchmarks.md, issue 16: allocations per tx).
/// </summary>
internal sealed class SoftConfirmationJson(SequencedTransaction tx, SoftConfirmationSigner signer, string sequencer) : IRpcJsonValue
{
    // "0x" + 65 bytes of signature in hex is the longest field.
    private const int MaxField = 2 + 2 * 65;

    public void WriteTo(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        WriteMembers(writer, tx, signer, sequencer);
        writer.WriteEndObject();
    }

    /// <summary>The confirmation's members, for a reply that adds its own after them (<see cref="SponsoredConfirmationJson"/>).</summary>
    internal static void WriteMembers(Utf8JsonWriter writer, SequencedTransaction tx, SoftConfirmationSigner signer, string sequencer)
    {
        var signature = signer.SignatureOf(tx);
        Span<byte> buffer = stackalloc byte[Math.Max(MaxField, 2 + 2 * signature.Length)];
        WriteHash(writer, "txHash"u8, tx.Hash, buffer);
        WriteQuantity(writer, "sequence"u8, (ulong)tx.Sequence, buffer);
        WriteQuantity(writer, "blockNumber"u8, tx.BlockNumber, buffer);
        WriteQuantity(writer, "index"u8, tx.Index, buffer);
        WriteQuantity(writer, "timestamp"u8, tx.Timestamp, buffer);
        WriteHash(writer, "accumulator"u8, tx.Accumulator, buffer);
        writer.WriteString("sequencer"u8, sequencer);
        writer.WriteString("signature"u8, buffer[..Hex.EncodeUtf8(signature, buffer)]);
    }

    private static void WriteHash(Utf8JsonWriter writer, ReadOnlySpan<byte> name, Hash32 hash, Span<byte> buffer) =>
        writer.WriteString(name, buffer[..Hex.EncodeUtf8(hash.Bytes, buffer)]);

    /// <summary>Hex.EncodeQuantity's text ("0x0", "0x1f"), in UTF-8.</summary>
    internal static void WriteQuantity(Utf8JsonWriter writer, ReadOnlySpan<byte> name, ulong value, Span<byte> buffer)
    {
        buffer[0] = (byte)'0';
        buffer[1] = (byte)'x';
        value.TryFormat(buffer[2..], out var written, "x");
        writer.WriteString(name, buffer[..(2 + written)]);
    }
}
