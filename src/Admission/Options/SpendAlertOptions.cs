namespace Admission.Options;

/// <summary>
/// <c>Admission:SpendAlerts</c>: the optional webhook a spend alert is POSTed to. The threshold is in the policy
/// (<c>spendAlertPercent</c>); the URL is configuration, so an operator editing the live policy cannot send the
/// sequencer's requests elsewhere.
/// </summary>
public sealed class SpendAlertOptions
{
    /// <summary>https, or http to a loopback address (tests, development); empty = no webhook (the metric only).</summary>
    public string WebhookUrl { get; set; } = "";

    /// <summary>The longest wait for the webhook's answer.</summary>
    public int TimeoutMs { get; set; } = 5_000;
}
