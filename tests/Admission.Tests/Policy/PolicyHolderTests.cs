using Admission.Policy;
using Admission.Tests.Infrastructure;

namespace Admission.Tests.Policy;

public class PolicyHolderTests
{
    [Fact]
    public void OnlyNewerVersions_ReplaceThePolicy()
    {
        var holder = new PolicyHolder(Policies.Parse(Policies.Json(version: 2)));

        Assert.False(holder.Offer(Policies.Parse(Policies.Json(version: 1))));
        Assert.False(holder.Offer(Policies.Parse(Policies.Json(version: 2, burst: 9))));
        Assert.True(holder.Offer(Policies.Parse(Policies.Json(version: 3))));
        Assert.Equal(3, holder.Current.Version);
    }
}
