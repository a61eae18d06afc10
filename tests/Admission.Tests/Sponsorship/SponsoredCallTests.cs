using System.Text.Json;
using Admission.Sponsorship;

namespace Admission.Tests.Sponsorship;

public class SponsoredCallTests
{
    [Fact]
    public void FullCall_IsRead()
    {
        using var doc = JsonDocument.Parse("""{"to":"0x1111111111111111111111111111111111111111","data":"0xa9059cbb","value":"0x10","gas":"0x5208"}""");

        Assert.True(SponsoredCall.TryParse(doc.RootElement, out var call, out _));
        Assert.Equal("0x1111111111111111111111111111111111111111", call!.To);
        Assert.Equal(new byte[] { 0xa9, 0x05, 0x9c, 0xbb }, call.Data);
        Assert.Equal((UInt128)16, call.Value);
        Assert.Equal(21000UL, call.Gas);
    }

    [Theory]
    [InlineData("""{"data":"0x"}""", "to is required")]
    [InlineData("""{"to":"0x12"}""", "to must be")]
    [InlineData("""{"to":"0x1111111111111111111111111111111111111111","data":"0xabc"}""", "data must be")]
    [InlineData("""{"to":"0x1111111111111111111111111111111111111111","value":"12"}""", "value must be")]
    [InlineData("""{"to":"0x1111111111111111111111111111111111111111","gas":-1}""", "gas must be")]
    [InlineData("""{"to":"0x1111111111111111111111111111111111111111","from":"0x00"}""", "unknown field \"from\"")]
    [InlineData("""[1]""", "expected an object")]
    [InlineData("""{"to":"0x1111111111111111111111111111111111111111","gas":"0x5207"}""", "gas must be at least 21000")]
    public void BadCall_SaysWhichField(string json, string expected)
    {
        using var doc = JsonDocument.Parse(json);

        Assert.False(SponsoredCall.TryParse(doc.RootElement, out _, out var error));
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }
}
