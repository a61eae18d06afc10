using Admission.Policy;
using Admission.Sponsorship;
using Admission.Tests.Infrastructure;

namespace Admission.Tests.Policy;

/// <summary>The policy's <c>blockShare</c> knobs (docs/block-share.md): defaults, validation, and the live value the sequencer reads.</summary>
public class BlockShareRulesTests
{
    [Fact]
    public void WithoutBlockShare_TheLanesAreWeightedEquallyAndNoIdentityIsCapped()
    {
        var policy = Policies.Parse(Policies.Json());

        Assert.Equal(50, policy.SponsoredBlockPercent);
        Assert.Equal(100, policy.MaxPerIdentityBlockPercent);
    }

    [Theory]
    [InlineData(101, 10, "$.blockShare.sponsoredPercent", "must be a whole percent between 0 and 100, got 101")]
    [InlineData(-1, 10, "$.blockShare.sponsoredPercent", "must be a whole percent between 0 and 100, got -1")]
    [InlineData(70, 0, "$.blockShare.maxPerIdentityPercent", "must be a whole percent between 1 and 100 (100: no cap), got 0")]
    [InlineData(70, 101, "$.blockShare.maxPerIdentityPercent", "must be a whole percent between 1 and 100 (100: no cap), got 101")]
    public void OutOfRangeShares_AreRefusedWithThePathAndTheRange(int sponsored, int perIdentity, string path, string message)
    {
        Assert.False(PolicyParser.TryParse(WithBlockShare(sponsored, perIdentity), out _, out var errors));

        var error = Assert.Single(errors);
        Assert.Equal(path, error.Path);
        Assert.Equal(message, error.Problem);
    }

    [Fact]
    public void TheSequencerReadsTheSharesOfThePolicyInForce_AndAChangeAppliesAtOnce()
    {
        var holder = new PolicyHolder(Policies.Parse(WithBlockShare(70, 10)));
        var shares = new BlockSharePolicy(holder);
        Assert.Equal((70, 10), shares.Current);

        Assert.True(PolicyParser.TryParse(WithBlockShare(30, 100, version: 2), out var changed, out _));
        Assert.True(holder.Offer(changed!));

        Assert.Equal((30, 100), shares.Current);
    }

    private static string WithBlockShare(int sponsored, int perIdentity, long version = 1)
    {
        var json = Policies.Json(version: version);
        var end = json.LastIndexOf('}');
        return json[..end] + $", \"blockShare\": {{ \"sponsoredPercent\": {sponsored}, \"maxPerIdentityPercent\": {perIdentity} }} }}";
    }
}
