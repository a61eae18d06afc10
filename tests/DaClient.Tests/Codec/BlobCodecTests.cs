using DaClient.Codec;

namespace DaClient.Tests.Codec;

public sealed class BlobCodecTests
{
    [Fact]
    public void Hello_encodes_to_the_two_symbols_of_the_protocol_example()
    {
        var blob = BlobCodec.Encode("hello"u8);

        var expected = new byte[64];
        expected[5] = 5; // 00 00 | uint32 BE length 5
        "hello"u8.CopyTo(expected.AsSpan(33)); // 00 'h' 'e' 'l' 'l' 'o' 00...
        Assert.Equal(expected, blob);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 2)]
    [InlineData(31, 2)]
    [InlineData(32, 4)]
    [InlineData(62, 4)]
    [InlineData(93, 4)]
    [InlineData(94, 8)]
    [InlineData(126_977, 8192)]
    public void Symbol_count_is_header_plus_31_byte_chunks_rounded_to_a_power_of_two(int payloadLength, int symbols)
    {
        Assert.Equal(symbols, BlobCodec.SymbolCount(payloadLength));
        Assert.Equal(symbols * 32, BlobCodec.Encode(new byte[payloadLength]).Length);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(30)]
    [InlineData(31)]
    [InlineData(32)]
    [InlineData(1000)]
    [InlineData(262_144)]
    public void Decode_inverts_encode_and_every_symbol_is_a_field_element(int length)
    {
        var payload = new byte[length];
        new Random(length).NextBytes(payload);
        Array.Fill(payload, (byte)0xFF, 0, Math.Min(length, 40)); // worst case for the modulus

        var blob = BlobCodec.Encode(payload);

        Assert.True(BlobCodec.IsFieldElementSafe(blob));
        Assert.Equal(payload, BlobCodec.Decode(blob));
    }

    [Fact]
    public void Decode_accepts_a_blob_whose_trailing_zeros_were_cut()
    {
        var payload = new byte[100];
        payload[0] = 9; // last payload bytes are zero, so the relay may cut them

        var blob = BlobCodec.Encode(payload);
        var cut = blob.AsSpan(0, 34).ToArray();

        Assert.Equal(payload, BlobCodec.Decode(cut));
    }

    [Fact]
    public void Decode_of_a_header_cut_short_restores_a_zero_payload()
    {
        var blob = BlobCodec.Encode(new byte[10]);

        Assert.Equal(new byte[10], BlobCodec.Decode(blob.AsSpan(0, 6)));
    }

    [Fact]
    public void Decode_rejects_a_symbol_without_its_zero_guard_byte()
    {
        var blob = BlobCodec.Encode(new byte[40]);
        blob[32] = 1;

        Assert.Throws<DaCertificateInvalidException>(() => BlobCodec.Decode(blob));
    }

    [Fact]
    public void Decode_rejects_unknown_versions_and_impossible_lengths()
    {
        var blob = BlobCodec.Encode(new byte[4]);
        var versioned = (byte[])blob.Clone();
        versioned[1] = 1;
        var huge = (byte[])blob.Clone();
        huge[2] = 0xFF;

        Assert.Throws<DaCertificateInvalidException>(() => BlobCodec.Decode(versioned));
        Assert.Throws<DaCertificateInvalidException>(() => BlobCodec.Decode(huge));
        Assert.Throws<DaCertificateInvalidException>(() => BlobCodec.Decode(new byte[3]));
    }

    [Fact]
    public void Largest_payload_fills_a_16_MiB_blob_and_one_more_byte_is_rejected()
    {
        Assert.Equal(16_252_897, BlobCodec.MaxPayloadBytes);
        Assert.Equal(16 * 1024 * 1024, BlobCodec.BlobLength(BlobCodec.MaxPayloadBytes));
        Assert.Throws<DaRejectedException>(() => BlobCodec.Encode(new byte[BlobCodec.MaxPayloadBytes + 1]));
    }

    [Fact]
    public void Field_check_flags_a_word_at_or_above_the_modulus()
    {
        var word = BlobCodec.FieldModulus.ToByteArray(isUnsigned: true, isBigEndian: true);

        Assert.False(BlobCodec.IsFieldElementSafe(word));
        Assert.False(BlobCodec.IsFieldElementSafe(new byte[33]));
    }
}
