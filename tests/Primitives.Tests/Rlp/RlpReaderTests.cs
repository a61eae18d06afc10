using Nethereum.RLP;
using Primitives.Rlp;

namespace Primitives.Tests.Rlp;

public sealed class RlpReaderTests
{
    [Fact]
    public void List_ReadsItemsWithOffsetsIntoTheBuffer()
    {
        // ["cat", "dog", 1024, [], 0x05]
        var input = Convert.FromHexString("cd" + "83636174" + "83646f67" + "820400" + "c0" + "05");
        var reader = new RlpReader(input);

        Assert.True(reader.TryReadList("list", out var list));
        Assert.True(reader.IsAtEnd);
        Assert.True(list.TryCountItems(out var count));
        Assert.Equal(5, count);
        Assert.True(list.TryReadBytes("first", out var cat, out var offset));
        Assert.Equal("cat"u8.ToArray(), cat.ToArray());
        Assert.Equal(2, offset);
        Assert.True(list.TryReadFixed("second", 3, out var dog));
        Assert.Equal("dog"u8.ToArray(), dog.ToArray());
        Assert.True(list.TryReadUInt64("third", out var number));
        Assert.Equal(1024UL, number);
        Assert.True(list.TryReadList("fourth", out var empty));
        Assert.True(empty.IsAtEnd);
        Assert.True(list.TryReadInteger("fifth", 1, out var five, out var fiveOffset));
        Assert.Equal(new byte[] { 5 }, five.ToArray());
        Assert.Equal(input.Length - 1, fiveOffset);
        Assert.True(list.IsAtEnd);
        Assert.Equal(RlpError.None, list.ErrorKind);
    }

    [Fact]
    public void LongForms_ReadBackWhatNethereumEncodes()
    {
        var longString = Enumerable.Range(0, 300).Select(i => (byte)i).ToArray();
        var encoded = RLP.EncodeList(RLP.EncodeElement(longString), RLP.EncodeElement(new byte[56]), RLP.EncodeElement([]));
        var reader = new RlpReader(encoded);

        Assert.True(reader.TryReadList("list", out var list));
        Assert.True(list.TryReadBytes("long", out var value, out _));
        Assert.Equal(longString, value.ToArray());
        Assert.True(list.TryReadFixed("56 bytes", 56, out _));
        Assert.True(list.TryReadUInt64("zero", out var zero));
        Assert.Equal(0UL, zero);
        Assert.True(list.IsAtEnd);
    }

    [Fact]
    public void TryReadItem_ReportsKindAndPayload()
    {
        var input = Convert.FromHexString("c3" + "010203" + "7f");
        var reader = new RlpReader(input);

        Assert.True(reader.TryReadItem("list", out var isList, out var start, out var length));
        Assert.True(isList);
        Assert.Equal((1, 3), (start, length));
        Assert.True(reader.TryReadItem("byte", out isList, out start, out length));
        Assert.False(isList);
        Assert.Equal((4, 1), (start, length));
        Assert.True(reader.IsAtEnd);
    }

    [Theory]
    // Empty input: the item is missing.
    [InlineData("", RlpError.Missing, "RLP value is missing: the list ends at offset 0")]
    // A string of 3 bytes with 2 present.
    [InlineData("836361", RlpError.Truncated, "RLP value at offset 0 claims 3 bytes but only 2 remain")]
    // Long form that says 2 length bytes but has 1.
    [InlineData("b901", RlpError.Truncated, "RLP value at offset 0 has a truncated length (2 length bytes, 1 left)")]
    // 8 length bytes: more than any input holds.
    [InlineData("bf7fffffffffffffff", RlpError.Truncated, "RLP value at offset 0 claims more bytes than the input holds")]
    // A single byte below 0x80 must stand for itself.
    [InlineData("8105", RlpError.NonCanonical, "RLP value encodes a single byte below 0x80 as a string (non-canonical)")]
    // Long form for a length that fits the short form.
    [InlineData("b803636174", RlpError.NonCanonical, "RLP value uses the long length form for 3 bytes (non-canonical)")]
    // A length with a leading zero byte.
    [InlineData("b90003636174", RlpError.NonCanonical, "RLP value has a length with leading zero bytes (non-canonical)")]
    public void MalformedBytes_FailWithAKindAndAMessageNamingTheField(string hex, RlpError kind, string message)
    {
        var reader = new RlpReader(Convert.FromHexString(hex));

        Assert.False(reader.TryReadBytes("value", out _, out _));
        Assert.Equal(kind, reader.ErrorKind);
        Assert.Equal(message, reader.Error);
        Assert.Equal(0, reader.Position);
    }

    [Fact]
    public void WrongKind_IsNamed()
    {
        var list = new RlpReader(Convert.FromHexString("c0"));
        Assert.False(list.TryReadBytes("to", out _, out _));
        Assert.Equal(RlpError.WrongKind, list.ErrorKind);
        Assert.Equal("RLP to must be a byte string, found a list", list.Error);

        var bytes = new RlpReader(Convert.FromHexString("80"));
        Assert.False(bytes.TryReadList("accessList", out _));
        Assert.Equal(RlpError.WrongKind, bytes.ErrorKind);
        Assert.Equal("RLP accessList must be a list, found a byte string", bytes.Error);
    }

    [Fact]
    public void Integers_MustBeMinimalAndFitTheirField()
    {
        var leadingZero = new RlpReader(Convert.FromHexString("820001"));
        Assert.False(leadingZero.TryReadUInt64("nonce", out _));
        Assert.Equal(RlpError.NonCanonical, leadingZero.ErrorKind);
        Assert.Equal("RLP nonce has leading zero bytes (non-canonical integer)", leadingZero.Error);

        var nineBytes = new RlpReader(Convert.FromHexString("89010000000000000000"));
        Assert.False(nineBytes.TryReadUInt64("gas", out _));
        Assert.Equal(RlpError.IntegerTooLong, nineBytes.ErrorKind);
        Assert.Equal("RLP gas is 9 bytes long (at most 8 allowed)", nineBytes.Error);

        var max = new RlpReader(Convert.FromHexString("88ffffffffffffffff"));
        Assert.True(max.TryReadUInt64("gas", out var value));
        Assert.Equal(ulong.MaxValue, value);
    }

    [Fact]
    public void Fixed_MustHaveItsLength()
    {
        var reader = new RlpReader(Convert.FromHexString("83010203"));

        Assert.False(reader.TryReadFixed("address", 20, out _));
        Assert.Equal(RlpError.WrongLength, reader.ErrorKind);
        Assert.Equal("RLP address is 3 bytes (must be 20)", reader.Error);
    }

    [Fact]
    public void ItemPastTheEndOfItsList_IsTruncatedEvenWhenTheBufferGoesOn()
    {
        // The list claims 2 bytes, its item claims 3; the buffer has more after the list.
        var input = Convert.FromHexString("c2" + "83" + "01" + "0203");
        var reader = new RlpReader(input);
        Assert.True(reader.TryReadList("list", out var list));

        Assert.False(list.TryCountItems(out _));
        Assert.Equal(RlpError.Truncated, list.ErrorKind);
        Assert.False(list.TryReadBytes("item", out _, out _));
        Assert.Equal("RLP item at offset 1 claims 3 bytes but only 1 remain", list.Error);
    }

    [Fact]
    public void CountItems_ChecksStructureOnly_AndDoesNotMove()
    {
        // Two items, the second non-canonical: counting passes, reading names the field.
        var reader = new RlpReader(Convert.FromHexString("01" + "8105"));

        Assert.True(reader.TryCountItems(out var count));
        Assert.Equal(2, count);
        Assert.Equal(0, reader.Position);
        Assert.True(reader.TryReadUInt64("first", out _));
        Assert.False(reader.TryReadUInt64("second", out _));
        Assert.Equal(RlpError.NonCanonical, reader.ErrorKind);
    }

    [Fact]
    public void MessagePrefix_StartsEveryMessage_AndListsInheritIt()
    {
        var reader = new RlpReader(Convert.FromHexString("c180"), 0, 2, "invalid transaction: RLP ");
        Assert.True(reader.TryReadList("transaction", out var list));

        Assert.False(list.TryReadList("accessList", out _));
        Assert.Equal("invalid transaction: RLP accessList must be a list, found a byte string", list.Error);
    }

    [Fact]
    public void StartAndEnd_OutsideTheBuffer_AreRefused()
    {
        var buffer = new byte[4];
        Assert.Throws<ArgumentOutOfRangeException>(() => Open(buffer, 0, 5));
        Assert.Throws<ArgumentOutOfRangeException>(() => Open(buffer, 3, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => Open(buffer, -1, 2));
    }

    private static void Open(byte[] buffer, int start, int end) => _ = new RlpReader(buffer, start, end);
}
