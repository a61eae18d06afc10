using Admission.Sponsorship;
using Sequencer.Sequencing;

namespace Sequencer.Hosting;

/// <summary>The core's block shares come from the admission policy's <c>blockShare</c>, live.</summary>
internal sealed class PolicyLaneShares(BlockSharePolicy policy) : ILaneSharesSource
{
    public LaneShares Current
    {
        get
        {
            var (sponsored, perIdentity) = policy.Current;
            return new LaneShares(sponsored, perIdentity);
        }
    }
}
