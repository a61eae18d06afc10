using System.Text.Json;
using Primitives;
using Sequencer.Chain;
using Sequencer.Sequencing;

namespace Sequencer.Rpc;

/// <summary>
/// sequencer_sendSponsoredTransaction's reply written straight as UTF-8 JSON: the same members, order and text as
/// <see cref="Dto.SponsoredConfirmationDto"/> serialized (a test holds them equal), without the DTO's eleven strings
/// per reply, as <see cref="SoftConfirmationJson"/> does for the paid lane.
/// </summary>
internal sealed class SponsoredConfirmationJson(SequencedTransaction tx, SoftConfirmationSigner signer, string sequencer, Address from, ulong nonce, ulong gas)
    : IRpcJsonValue
{
    public void WriteTo(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        Span<byte> buffer = stackalloc byte[2 + 2 * 20];
        writer.WriteStartObject();
        writer.WriteString("from"u8, buffer[..Hex.EncodeUtf8(from.Bytes, buffer)]);
        SoftConfirmationJson.WriteQuantity(writer, "nonce"u8, nonce, buffer);
        SoftConfirmationJson.WriteQuantity(writer, "gas"u8, gas, buffer);
        SoftConfirmationJson.WriteMembers(writer, tx, signer, sequencer);
        writer.WriteEndObject();
    }
}
