namespace Admission.Policy;

/// <summary>Limits on the paid lane: fees pay for gas, so only flooding is limited.</summary>
internal sealed class PaidLaneRules
{
    /// <summary>Per recovered sender address.</summary>
    public RateRule? PerSender { get; set; }

    /// <summary>Per client IP address.</summary>
    public RateRule? PerClientIp { get; set; }
}
