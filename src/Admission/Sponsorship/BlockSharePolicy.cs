using Admission.Policy;

namespace Admission.Sponsorship;

/// <summary>
/// The block shares of the policy in force (<c>blockShare</c>, docs/block-share.md), for the sequencer's block filling.
/// Read from the live policy on every call, so an operator's change applies without a restart.
/// </summary>
public sealed class BlockSharePolicy
{
    private readonly PolicyHolder policies;

    // Internal: the host gets it from AddAdmission; the policy holder is Admission's own.
    internal BlockSharePolicy(PolicyHolder policies) => this.policies = policies;

    /// <summary>The sponsored lane's share and the per-identity cap, whole percent of a block's gas, from one policy version.</summary>
    public (int SponsoredPercent, int MaxPerIdentityPercent) Current
    {
        get
        {
            var policy = policies.Current;
            return (policy.SponsoredBlockPercent, policy.MaxPerIdentityBlockPercent);
        }
    }
}
