using Primitives.Secrets;

namespace Primitives.Tests.Secrets;

public sealed class DevelopmentSecretsTests
{
    private const string Missing = "no key: set X:KeyFile";

    [Theory]
    [InlineData(null)]
    [InlineData(true)]
    public void Development_MayGenerate_UnlessTurnedOff(bool? generate)
    {
        Assert.Null(DevelopmentSecrets.WhyNotGenerated(generate, "X:GenerateDevKey", isDevelopment: true, Missing));
    }

    [Fact]
    public void Development_TurnedOff_NamesTheMissingSetting()
    {
        var why = DevelopmentSecrets.WhyNotGenerated(false, "X:GenerateDevKey", isDevelopment: true, Missing);

        Assert.StartsWith(Missing, why, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(false)]
    [InlineData(true)]
    public void ElsewhereNeverGenerates_AndNamesTheMissingSetting(bool? generate)
    {
        var why = DevelopmentSecrets.WhyNotGenerated(generate, "X:GenerateDevKey", isDevelopment: false, Missing);

        Assert.NotNull(why);
        Assert.StartsWith(Missing, why, StringComparison.Ordinal);
        Assert.Contains("only in the Development environment", why, StringComparison.Ordinal);
        Assert.Equal(generate == true, why.Contains("X:GenerateDevKey is true", StringComparison.Ordinal));
    }
}
