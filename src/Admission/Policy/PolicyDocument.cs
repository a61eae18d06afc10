namespace Admission.Policy;

/// <summary>
/// The policy as operators write it (JSON, docs/admission.md "Policy reference"). Every field is
/// nullable so that <see cref="PolicyValidator"/> can say which one is missing instead of the
/// parser failing on the first. A validated document is turned into an <see cref="AdmissionPolicy"/>.
/// </summary>
internal sealed class PolicyDocument
{
    /// <summary>Increases by one with every accepted change; a change must name the version it edits.</summary>
    public long Version { get; set; }

    /// <summary>Sponsored rules, tried in order; the first that matches the identity's provider (and app) applies.</summary>
    public List<SponsorRule>? Rules { get; set; }

    /// <summary>Total gas all identities together may be sponsored per UTC day (0 = no sponsored gas at all).</summary>
    public long? GlobalDailySponsoredGas { get; set; }

    /// <summary>Wei all identities together may be charged per UTC day (decimal string); absent = no cap.</summary>
    public string? GlobalDailySpendCapWei { get; set; }

    /// <summary>Percent (1–100) of a daily spend cap at which an alert fires (metric and optional webhook); absent = none.</summary>
    public int? SpendAlertPercent { get; set; }

    /// <summary>Identities ("provider:subject") that may not send sponsored transactions.</summary>
    public List<string>? Blocked { get; set; }

    /// <summary>Limits for the paid lane (eth_sendRawTransaction); absent = no paid-lane limits.</summary>
    public PaidLaneRules? Paid { get; set; }

    /// <summary>Each block's gas between the lanes and per identity under contention; absent = 50 %, no cap.</summary>
    public BlockShareRules? BlockShare { get; set; }
}
