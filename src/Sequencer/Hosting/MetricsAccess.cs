using System.Security.Cryptography;
using System.Text;
using Admission.Options;

namespace Sequencer.Hosting;

/// <summary>
/// Optional protection of /metrics: with "Telemetry:MetricsBearerTokenFile" (or MetricsBearerToken)
/// set, a scrape must send "Authorization: Bearer &lt;token&gt;" (Prometheus: authorization.credentials_file);
/// compared in constant time. Unset, /metrics is open, as Prometheus expects by default.
/// </summary>
internal static class MetricsAccess
{
    public const string Path = "/metrics";

    public static IApplicationBuilder UseMetricsAccess(this IApplicationBuilder app, IConfiguration configuration)
    {
        if (ReadToken(configuration) is not { } token)
        {
            return app;
        }

        var expected = SHA256.HashData(Encoding.UTF8.GetBytes("Bearer " + token));
        return app.Use((context, next) =>
        {
            if (!context.Request.Path.StartsWithSegments(Path, StringComparison.OrdinalIgnoreCase))
            {
                return next(context);
            }

            var presented = SHA256.HashData(Encoding.UTF8.GetBytes(context.Request.Headers.Authorization.ToString()));
            if (CryptographicOperations.FixedTimeEquals(presented, expected))
            {
                return next(context);
            }

            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            context.Response.Headers.WWWAuthenticate = "Bearer";
            return Task.CompletedTask;
        });
    }

    private static string? ReadToken(IConfiguration configuration)
    {
        var file = configuration["Telemetry:MetricsBearerTokenFile"];
        var token = configuration["Telemetry:MetricsBearerToken"];
        var setting = "Telemetry:MetricsBearerToken";
        if (!string.IsNullOrWhiteSpace(file))
        {
            setting = "the token in Telemetry:MetricsBearerTokenFile";
            token = File.Exists(file) ? File.ReadAllText(file).Trim() : throw new InvalidOperationException($"Telemetry:MetricsBearerTokenFile {file} does not exist");
        }

        if (string.IsNullOrEmpty(token))
        {
            return null;
        }

        return SecretKeyRules.Weakness(token) is { } weakness ? throw new InvalidOperationException($"{setting} {weakness}") : token;
    }
}
