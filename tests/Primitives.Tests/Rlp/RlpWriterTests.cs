using Nethereum.RLP;
using Primitives.Rlp;

namespace Primitives.Tests.Rlp;

public sealed class RlpWriterTests
{
    [Theory]
    // The examples of the Ethereum RLP specification.
    [InlineData("", "80")]
    [InlineData("00", "00")]
    [InlineData("0f", "0f")]
    [InlineData("7f", "7f")]
    [InlineData("80", "8180")]
    [InlineData("646f67", "83646f67")]
    [InlineData("0400", "820400")]
    public void WriteString_GivesTheSpecifiedEncoding(string valueHex, string expectedHex)
    {
        var value = Convert.FromHexString(valueHex);
        var destination = new byte[RlpWriter.StringLength(value)];

        var written = RlpWriter.WriteString(destination, value);

        Assert.Equal(destination.Length, written);
        Assert.Equal(expectedHex, Convert.ToHexStringLower(destination));
    }

    [Theory]
    [InlineData(55)]
    [InlineData(56)]
    [InlineData(255)]
    [InlineData(256)]
    [InlineData(70_000)]
    [InlineData(16_777_216)]
    public void LongStringsAndLists_MatchNethereum(int length)
    {
        var value = new byte[length];
        new Random(length).NextBytes(value);
        var destination = new byte[RlpWriter.StringLength(value)];
        RlpWriter.WriteString(destination, value);
        Assert.Equal(RLP.EncodeElement(value), destination);

        var header = new byte[RlpWriter.MaxHeaderLength];
        var headerLength = RlpWriter.WriteListHeader(header, length);
        Assert.Equal(RlpWriter.HeaderLength(length), headerLength);
        var nethereumList = RLP.EncodeList(RLP.EncodeElement(value[..(length - 1)]));
        var ours = RlpWriter.WriteListHeader(header, RlpWriter.StringLength(value[..(length - 1)]));
        Assert.Equal(nethereumList[..ours], header[..ours]);
    }

    [Theory]
    [InlineData(0UL, "80")]
    [InlineData(1UL, "01")]
    [InlineData(0x7fUL, "7f")]
    [InlineData(0x80UL, "8180")]
    [InlineData(1024UL, "820400")]
    [InlineData(424242UL, "83067932")]
    [InlineData(ulong.MaxValue, "88ffffffffffffffff")]
    public void WriteUInt64_IsMinimalBigEndian(ulong value, string expectedHex)
    {
        var destination = new byte[RlpWriter.MaxHeaderLength];

        var written = RlpWriter.WriteUInt64(destination, value);

        Assert.Equal(expectedHex, Convert.ToHexStringLower(destination.AsSpan(0, written)));
    }

    [Fact]
    public void WrittenList_ReadsBack()
    {
        var items = new[] { "cat"u8.ToArray(), [], [0x05], new byte[100] };
        var payload = items.Sum(i => RlpWriter.StringLength(i));
        var buffer = new byte[RlpWriter.HeaderLength(payload) + payload];
        var at = RlpWriter.WriteListHeader(buffer, payload);
        foreach (var item in items)
        {
            at += RlpWriter.WriteString(buffer.AsSpan(at), item);
        }

        var reader = new RlpReader(buffer);
        Assert.True(reader.TryReadList("list", out var list));
        foreach (var item in items)
        {
            Assert.True(list.TryReadBytes("item", out var read, out _), list.Error);
            Assert.Equal(item, read.ToArray());
        }

        Assert.True(list.IsAtEnd);
        Assert.True(reader.IsAtEnd);
    }
}
