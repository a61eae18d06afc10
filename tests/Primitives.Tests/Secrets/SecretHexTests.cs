using Primitives.Secrets;

namespace Primitives.Tests.Secrets;

public sealed class SecretHexTests
{
    private const string Key = "4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318";
    private const string Setting = "Batcher:L1:KeyFile";

    [Theory]
    [InlineData(Key)]
    [InlineData("0x" + Key)]
    [InlineData("0X" + Key)]
    [InlineData("  0x" + Key + "\n")]
    public void PrivateKey_AcceptsHexWithOptionalPrefixAndSurroundingWhitespace(string text)
    {
        Assert.Equal(Convert.FromHexString(Key), SecretHex.Parse(text, Setting, SecretShape.PrivateKey));
    }

    [Theory]
    [InlineData("\"0x" + Key + "\"", "quotes")]
    [InlineData("'" + Key + "'", "quotes")]
    [InlineData("0x" + Key + "zz", "not hex digits")]
    [InlineData(Key + " trailing words", "not hex digits")]
    [InlineData("0x" + Key + "0", "odd number")]
    [InlineData(Key + "00", "33 bytes")]
    [InlineData("", "empty")]
    [InlineData("0000000000000000000000000000000000000000000000000000000000000000", "curve order")]
    [InlineData("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141", "curve order")]
    public void MalformedKey_NamesTheSettingAndTheMistake_NeverTheValue(string text, string mistake)
    {
        var error = Assert.Throws<SecretSettingException>(() => SecretHex.Parse(text, Setting, SecretShape.PrivateKey));

        Assert.Equal(Setting, error.Setting);
        Assert.StartsWith(Setting, error.Message, StringComparison.Ordinal);
        Assert.Contains(mistake, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Key[..8], error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("ffffffff", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void HighestValidKey_IsAccepted()
    {
        const string highest = "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364140";

        Assert.Equal(32, SecretHex.Parse(highest, Setting, SecretShape.PrivateKey).Length);
    }

    [Fact]
    public void AtLeast_TakesLongerSecrets_AndRefusesShorterOnes()
    {
        Assert.Equal(48, SecretHex.Parse(new string('a', 96), "Admission:MasterSecret", SecretShape.AtLeast(32)).Length);

        var error = Assert.Throws<SecretSettingException>(() => SecretHex.Parse(new string('a', 62), "Admission:MasterSecret", SecretShape.AtLeast(32)));
        Assert.Contains("31 bytes", error.Message, StringComparison.Ordinal);
    }
}
