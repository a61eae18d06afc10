using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Admission.Limits;
using Admission.Options;
using Admission.Policy;
using Microsoft.Extensions.Logging;

namespace Admission.Spending;

/// <summary>
/// Fires a spend alert once per UTC day and scope (the global cap, or one identity's) when an admission takes a daily
/// spend to the policy's <c>spendAlertPercent</c> of its cap: the metric <c>admission_spend_alerts_total</c>, a log
/// warning and, when configured, a POST to <c>Admission:SpendAlerts:WebhookUrl</c>. The store's mark makes it once for
/// every replica; a local set spares the store a call per request once this replica knows the alert fired.
/// </summary>
internal sealed partial class SpendAlerts(
    IRateLimitStore store, SpendMeter meter, SpendAlertOptions options, IHttpClientFactory httpClients, ILogger<SpendAlerts> logger)
{
    public const string HttpClientName = "Admission.SpendAlerts";

    private readonly Lock _lock = new();
    private readonly HashSet<string> _known = new(StringComparer.Ordinal);
    private long _knownDay = -1;

    /// <summary>Called after an admission with the spend totals the store returned (identity, then global).</summary>
    public void Observe(AdmissionPolicy policy, CompiledRule rule, string identity, long nowUs, UInt128[]? totals)
    {
        if (policy.SpendAlertPercent is not { } percent || totals is not { Length: 2 })
        {
            return;
        }

        if (rule.DailySpendCapWei is { } identityCap && Reached(totals[0], identityCap, percent))
        {
            Fire("identity", identity, totals[0], identityCap, percent, nowUs);
        }

        if (policy.GlobalDailySpendCapWei is { } globalCap && Reached(totals[1], globalCap, percent))
        {
            Fire("global", null, totals[1], globalCap, percent, nowUs);
        }
    }

    // Both sides stay far below UInt128's range: amounts have at most 30 digits.
    private static bool Reached(UInt128 spent, UInt128 cap, int percent) => spent * 100 >= cap * (uint)percent;

    private void Fire(string scope, string? identity, UInt128 spent, UInt128 cap, int percent, long nowUs)
    {
        var day = LimitKeys.Day(nowUs);
        var key = LimitKeys.SpendAlert(day, identity ?? scope);
        lock (_lock)
        {
            if (_knownDay != day)
            {
                _known.Clear();
                _knownDay = day;
            }

            if (!_known.Add(key))
            {
                return;
            }
        }

        _ = FireAsync(key, scope, identity, spent, cap, percent, nowUs);
    }

    private async Task FireAsync(string key, string scope, string? identity, UInt128 spent, UInt128 cap, int percent, long nowUs)
    {
        try
        {
            if (store is ISpendStore marks && !await marks.TryMarkAsync(key, nowUs, LimitKeys.NextDayUs(nowUs)).ConfigureAwait(false))
            {
                return;
            }

            meter.Alert(scope);
            LogAlert(scope, identity ?? "(all identities)", spent.ToString(CultureInfo.InvariantCulture), cap.ToString(CultureInfo.InvariantCulture), percent);
            if (!string.IsNullOrWhiteSpace(options.WebhookUrl))
            {
                await PostAsync(Body(scope, identity, spent, cap, percent, nowUs)).ConfigureAwait(false);
            }
        }
        catch (RateLimitStoreUnavailableException)
        {
            // Not marked: the next admission over the threshold tries again.
            lock (_lock)
            {
                _known.Remove(key);
            }
        }
    }

    private async Task PostAsync(byte[] body)
    {
        using var timeout = new CancellationTokenSource(options.TimeoutMs);
        try
        {
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new("application/json");
            using var response = await httpClients.CreateClient(HttpClientName).PostAsync(options.WebhookUrl, content, timeout.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                meter.WebhookFailed();
                LogWebhookFailed($"answered HTTP {(int)response.StatusCode}");
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
        {
            meter.WebhookFailed();
            LogWebhookFailed(ex is OperationCanceledException ? $"no answer within {options.TimeoutMs} ms" : ex.Message);
        }
    }

    internal static byte[] Body(string scope, string? identity, UInt128 spent, UInt128 cap, int percent, long nowUs)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("alert"u8, "spend");
            writer.WriteString("scope"u8, scope);
            if (identity is not null)
            {
                writer.WriteString("identity"u8, identity);
            }

            writer.WriteString("day"u8, DateTimeOffset.FromUnixTimeMilliseconds(nowUs / 1000).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            writer.WriteString("spentWei"u8, spent.ToString(CultureInfo.InvariantCulture));
            writer.WriteString("capWei"u8, cap.ToString(CultureInfo.InvariantCulture));
            writer.WriteNumber("thresholdPercent"u8, percent);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    [LoggerMessage(EventId = 450, Level = LogLevel.Warning, Message = "Spend alert ({Scope}): {Identity} has been charged {SpentWei} wei today, at least {Percent} % of its cap of {CapWei} wei")]
    private partial void LogAlert(string scope, string identity, string spentWei, string capWei, int percent);

    [LoggerMessage(EventId = 451, Level = LogLevel.Warning, Message = "Spend alert webhook failed: {Reason}")]
    private partial void LogWebhookFailed(string reason);
}
