using Admission.Limits;
using Admission.Policy;
using Admission.Sponsorship;

namespace Admission.Operators;

/// <summary>
/// What a draft policy would have done to recent traffic: the latest sponsored decisions (<see cref="RecentDecisions"/>)
/// are decided again, in order and at the moments they were made, once under the current policy and once under the
/// draft, each with a fresh in-memory limit store; the report counts the decisions whose verdict differs, by
/// "from → to". Both runs start from empty limits (usage before the first replayed decision is unknown here), so
/// comparing the two replays, rather than the draft with the recorded verdicts, shows the effect of the change alone.
/// The live limit store is never touched.
/// </summary>
internal static class PolicyReplay
{
    public static async ValueTask<ReplayReport> RunAsync(
        PolicyHolder holder, AdmissionPolicy draft, IReadOnlyList<RecentDecision> decisions, CancellationToken cancellationToken)
    {
        var current = await DecideAllAsync(holder, holder.Current, decisions, cancellationToken).ConfigureAwait(false);
        var proposed = await DecideAllAsync(holder, draft, decisions, cancellationToken).ConfigureAwait(false);
        var changes = new Dictionary<(string From, string To), int>();
        var changed = 0;
        for (var i = 0; i < decisions.Count; i++)
        {
            if (current[i].Verdict != proposed[i].Verdict)
            {
                var key = (Describe(current[i]), Describe(proposed[i]));
                changed++;
                changes[key] = changes.GetValueOrDefault(key) + 1;
            }
        }

        var list = new List<VerdictChange>(changes.Count);
        foreach (var ((from, to), count) in changes)
        {
            list.Add(new VerdictChange(from, to, count));
        }

        list.Sort((a, b) => b.Count.CompareTo(a.Count));
        var since = decisions.Count > 0 ? decisions[0].At.ToString("O", System.Globalization.CultureInfo.InvariantCulture) : null;
        return new ReplayReport(decisions.Count, changed, since, list);
    }

    private static async ValueTask<AdmissionDecision[]> DecideAllAsync(
        PolicyHolder holder, AdmissionPolicy policy, IReadOnlyList<RecentDecision> decisions, CancellationToken cancellationToken)
    {
        var clock = new ReplayClock();
        var gate = new SponsoredTransactionGate(holder, new EmbeddedRateLimitStore(), clock) { AssumeVerifiersApprove = true };
        var results = new AdmissionDecision[decisions.Count];
        for (var i = 0; i < decisions.Count; i++)
        {
            clock.Now = decisions[i].At;
            results[i] = await gate.AdmitAsync(policy, decisions[i].Identity, decisions[i].Call, consume: true, cancellationToken).ConfigureAwait(false);
        }

        return results;
    }

    /// <summary>"admitted", or the verdict with the rule that decided: "limited (rate.burst)".</summary>
    internal static string Describe(AdmissionDecision decision) =>
        decision.IsAdmitted ? "admitted" : AdmissionMeter.VerdictOf(decision) + " (" + decision.Reason + ")";

    /// <summary>The replay's clock: each decision is decided again at the moment it was first made.</summary>
    private sealed class ReplayClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; }

        public override DateTimeOffset GetUtcNow() => Now;
    }
}

/// <summary>The dry run's answer: how many of the replayed decisions would change verdict, and how.</summary>
internal sealed record ReplayReport(int Decisions, int Changed, string? Since, IReadOnlyList<VerdictChange> Changes);

/// <summary>Decisions that went <see cref="From"/> under the current policy and would go <see cref="To"/> under the draft.</summary>
internal sealed record VerdictChange(string From, string To, int Count);
