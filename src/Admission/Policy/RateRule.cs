namespace Admission.Policy;

/// <summary>A rate with two windows, both enforced: a short burst window and a long sustained one.</summary>
internal sealed class RateRule
{
    public LimitWindow? Burst { get; set; }

    public LimitWindow? Sustained { get; set; }
}
