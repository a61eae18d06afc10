using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Primitives;
using Sequencer.Chain;
using Sequencer.Rpc;
using Sequencer.Rpc.Dto;
using Sequencer.Sequencing;

namespace Sequencer.Tests.Rpc;

/// <summary>The write path's confirmation, written without a DTO, is the DTO's JSON byte for byte.</summary>
public sealed class SoftConfirmationJsonTests
{
    [Theory]
    [InlineData(0L, 0UL, 0U, 0UL)]
    [InlineData(1L, 1UL, 1U, 1UL)]
    [InlineData(123_456_789L, 0xABCDEFUL, 4_000_000_000U, 1_764_800_000_000UL)]
    [InlineData(long.MaxValue, ulong.MaxValue, uint.MaxValue, ulong.MaxValue)]
    public void WrittenConfirmation_EqualsTheSerializedDto(long sequence, ulong block, uint index, ulong timestamp)
    {
        var signer = new SoftConfirmationSigner(SequencerKey.Generate(), 424242);
        var hash = new Hash32(Enumerable.Range(1, 32).Select(i => (byte)(i * 7)).ToArray());
        var accumulator = new Hash32(Enumerable.Range(1, 32).Select(i => (byte)(255 - i)).ToArray());
        var tx = new SequencedTransaction(sequence, hash, [1, 2, 3], Address.Zero, 5, 21_000, block, index, timestamp, accumulator);

        var expected = Write(w => JsonSerializer.Serialize(w, SoftConfirmationDto.Of(tx, signer), RpcJsonContext.Default.SoftConfirmationDto));
        var actual = Write(w => new SoftConfirmationJson(tx, signer, signer.Sequencer.ToString()).WriteTo(w));

        Assert.Equal(expected, actual);
    }

    [Theory]
    [InlineData(0UL, 0UL)]
    [InlineData(7UL, 60_000UL)]
    [InlineData(ulong.MaxValue, ulong.MaxValue)]
    public void WrittenSponsoredConfirmation_EqualsTheSerializedDto(ulong nonce, ulong gas)
    {
        var signer = new SoftConfirmationSigner(SequencerKey.Generate(), 424242);
        var hash = new Hash32(Enumerable.Range(1, 32).Select(i => (byte)(i * 3)).ToArray());
        var from = new Address(Enumerable.Range(1, 20).Select(i => (byte)(i * 11)).ToArray());
        var tx = new SequencedTransaction(42, hash, [1, 2, 3], from, 5, 21_000, 9, 3, 1_764_800_000_000UL, hash);

        var dto = SponsoredConfirmationDto.Create(SoftConfirmationDto.Of(tx, signer), from.ToString(), nonce, gas);
        var expected = Write(w => JsonSerializer.Serialize(w, dto, AdmissionRpcJsonContext.Default.SponsoredConfirmationDto));
        var actual = Write(w => new SponsoredConfirmationJson(tx, signer, signer.Sequencer.ToString(), from, nonce, gas).WriteTo(w));

        Assert.Equal(expected, actual);
    }

    private static string Write(Action<Utf8JsonWriter> write)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            write(writer);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
