using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using Sequencer.Rpc;
using Sequencer.Sequencing;

namespace Sequencer.Hosting;

/// <summary>
/// Builds the sequencer host. Configuration: appsettings.json (the repository root file, copied next to
/// the binary), then an optional <c>--config FILE</c>, then environment variables, then the command line.
/// </summary>
public static class SequencerApp
{
    /// <param name="args">Command-line arguments.</param>
    /// <param name="configureServices">Extra registrations after the sequencer's own (tests use it to plug in stand-ins).</param>
    public static WebApplication Build(string[] args, Action<IServiceCollection>? configureServices = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
        });
        var extra = builder.Configuration["config"];
        if (!string.IsNullOrWhiteSpace(extra))
        {
            builder.Configuration.AddJsonFile(Path.GetFullPath(extra), optional: false, reloadOnChange: false);
            builder.Configuration.AddEnvironmentVariables();
            builder.Configuration.AddCommandLine(args);
        }

        builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);
        builder.Services.AddSequencer(builder.Configuration);
        builder.Services.AddExecution(builder.Configuration);
        builder.AddSequencerIdentity();
        configureServices?.Invoke(builder.Services);
        builder.Services.AddHealthChecks()
            .AddCheck<CoreHealthCheck>("core", tags: ["ready"]);
        var telemetry = builder.Services.AddOpenTelemetry().WithMetrics(metrics =>
        {
            metrics.AddMeter(SequencerMetrics.MeterName)
                .AddAspNetCoreInstrumentation()
                .AddRuntimeInstrumentation()
                .AddPrometheusExporter();
            if (!string.IsNullOrWhiteSpace(builder.Configuration["Telemetry:OtlpEndpoint"]))
            {
                metrics.AddOtlpExporter(otlp => otlp.Endpoint = new Uri(builder.Configuration["Telemetry:OtlpEndpoint"]!));
            }
        });

        var app = builder.Build();
        var forwarded = app.Services.GetRequiredService<IOptions<SequencerOptions>>().Value.ForwardedHeaders;
        if (forwarded.Enabled)
        {
            app.UseForwardedHeaders(forwarded.ToOptions());
        }

        app.UseApiResponseHeaders();
        app.UseMetricsAccess(builder.Configuration);
        app.UseWebSockets();
        app.MapSequencerIdentity();
        var http = app.Services.GetRequiredService<JsonRpcHttpEndpoint>();
        var ws = app.Services.GetRequiredService<WebSocketEndpoint>();
        app.MapPost("/", http.HandleAsync);
        app.Map("/ws", ws.HandleAsync);
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") });
        app.MapPrometheusScrapingEndpoint(MetricsAccess.Path);
        app.MapAdmission();
        return app;
    }
}

/// <summary>Ready when the core has recovered and its log is writable.</summary>
internal sealed class CoreHealthCheck(SequencerCore core) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (core.Log?.Failure is { } failure)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("write-ahead log failed: " + failure.Message));
        }

        return Task.FromResult(core.IsReady ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("recovering or stopping"));
    }
}
