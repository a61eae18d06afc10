using System.Diagnostics.Metrics;

namespace Admission.Spending;

/// <summary>Wei budget instruments on the "Admission" meter (docs/operations.md, "Admission meter").</summary>
internal sealed class SpendMeter
{
    private readonly Counter<long> _alerts;
    private readonly Counter<long> _settlements;
    private readonly Counter<long> _webhookFailures;

    public SpendMeter(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        // The "Admission" meter of AdmissionMeter (Sponsorship, which depends on this folder, not the other way).
        var meter = meterFactory.Create("Admission");
        _alerts = meter.CreateCounter<long>("admission.spend.alerts", "{alert}",
            "Spend alerts fired: a daily spend reached the policy's spendAlertPercent of its cap, by scope (global, identity)");
        _settlements = meter.CreateCounter<long>("admission.spend.settlements", "{transaction}",
            "Wei reservations settled on an execution receipt, by outcome (settled, no_receipt: charged the whole reservation)");
        _webhookFailures = meter.CreateCounter<long>("admission.spend.webhook_failures", "{alert}",
            "Spend alerts the webhook did not accept (no answer in time, unreachable, a status other than 2xx)");
    }

    public void Alert(string scope) => _alerts.Add(1, new KeyValuePair<string, object?>("scope", scope));

    public void Settled(string outcome) => _settlements.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    public void WebhookFailed() => _webhookFailures.Add(1);
}
