using Primitives.Collections;
using Admission.Identity;

namespace Admission.Sponsorship;

/// <summary>
/// The last <see cref="Capacity"/> sponsored decisions of this replica, newest last, for the operator console: its
/// list of recent refusals and its replay of a draft policy against recent traffic (<see cref="Operators.PolicyReplay"/>).
/// Bounded: a ring of fixed size, and each call keeps only its selector (the first 4 bytes of data, all a policy
/// looks at), so the memory held does not grow with traffic or with the size of calldata.
/// </summary>
public sealed class RecentDecisions
{
    public const int Capacity = 1000;

    private readonly BoundedRing<RecentDecision> _ring = new(Capacity);

    internal void Add(DateTimeOffset at, AdmissionIdentity identity, SponsoredCall call, AdmissionDecision decision)
    {
        var kept = call.Data.Length > 4 ? call with { Data = call.Data[..4] } : call;
        _ring.Add(new RecentDecision(at, identity, kept, decision));
    }

    /// <summary>Up to <paramref name="count"/> of the latest decisions, oldest first (the order they were made in).</summary>
    public IReadOnlyList<RecentDecision> Latest(int count) => _ring.Latest(count);
}

/// <summary>One sponsored decision as made: when, for whom, the call (selector only) and the answer.</summary>
public sealed record RecentDecision(DateTimeOffset At, AdmissionIdentity Identity, SponsoredCall Call, AdmissionDecision Decision);
