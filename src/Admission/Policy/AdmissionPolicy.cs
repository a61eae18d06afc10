using System.Collections.Frozen;
using System.Text.Json;

namespace Admission.Policy;

/// <summary>
/// A validated, immutable policy. Swapped as a whole on change, so a request sees one version
/// from start to end. Built only by <see cref="PolicyParser"/>.
/// </summary>
internal sealed class AdmissionPolicy
{
    internal AdmissionPolicy(PolicyDocument document, CompiledRule[] rules, FrozenSet<string> blocked, RateWindow? paidSenderBurst,
        RateWindow? paidSenderSustained, RateWindow? paidIpBurst, RateWindow? paidIpSustained)
    {
        Document = document;
        Rules = rules;
        Blocked = blocked;
        PaidSenderBurst = paidSenderBurst;
        PaidSenderSustained = paidSenderSustained;
        PaidIpBurst = paidIpBurst;
        PaidIpSustained = paidIpSustained;
    }

    public PolicyDocument Document { get; }

    public long Version => Document.Version;

    public IReadOnlyList<CompiledRule> Rules { get; }

    public long GlobalDailySponsoredGas => Document.GlobalDailySponsoredGas ?? 0;

    public FrozenSet<string> Blocked { get; }

    /// <summary>Wei all identities together may be charged per UTC day, or null for no cap.</summary>
    public UInt128? GlobalDailySpendCapWei => SpendPolicyValidator.Wei(Document.GlobalDailySpendCapWei);

    public int? SpendAlertPercent => Document.SpendAlertPercent;

    public RateWindow? PaidSenderBurst { get; }

    public RateWindow? PaidSenderSustained { get; }

    public RateWindow? PaidIpBurst { get; }

    public RateWindow? PaidIpSustained { get; }

    /// <summary>The sponsored lane's share of each block under contention, percent (docs/block-share.md).</summary>
    public int SponsoredBlockPercent => Document.BlockShare?.SponsoredPercent ?? DefaultSponsoredBlockPercent;

    /// <summary>The most one identity may take of a block while others in its lane wait, percent.</summary>
    public int MaxPerIdentityBlockPercent => Document.BlockShare?.MaxPerIdentityPercent ?? 100;

    public const int DefaultSponsoredBlockPercent = 50;

    public bool HasPaidLimits => PaidSenderBurst is not null || PaidSenderSustained is not null || PaidIpBurst is not null || PaidIpSustained is not null;

    /// <summary>The first rule that applies to the identity, or null.</summary>
    public CompiledRule? RuleFor(Identity.AdmissionIdentity identity)
    {
        foreach (var rule in Rules)
        {
            if (rule.Matches(identity))
            {
                return rule;
            }
        }

        return null;
    }

    /// <summary>The document as indented JSON, as stored and served to operators.</summary>
    public string ToJson() => JsonSerializer.Serialize(Document, PolicyJsonContext.Default.PolicyDocument);

    /// <summary>A copy of the document with another version number (the next one, when a change is accepted).</summary>
    internal PolicyDocument CloneDocument(long version)
    {
        var copy = JsonSerializer.Deserialize(ToJson(), PolicyJsonContext.Default.PolicyDocument)!;
        copy.Version = version;
        return copy;
    }
}
