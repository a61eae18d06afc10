using Sequencer.Options;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using Sequencer.Feed;
using Sequencer.Rpc;
using Sequencer.Sequencing;

namespace Sequencer.Hosting;

/// <summary>
/// Builds the sequencer host. Configuration: appsettings.json (the repository root file, copied next to
/// the binary), then an optional <c>--config FILE</c>, then environment variables, then the command line.
/// </summary>
public static class SequencerApp
{
    /// <summary>
    /// The program: runs the host until it is stopped, or the operator's <c>--recover-wal</c> command. Failures an
    /// operator must act on end the process with one line on stderr and the exit code for them (<see cref="ExitCodes"/>,
    /// docs/operations.md), not a stack trace.
    /// </summary>
    public static int Run(string[] args)
    {
        var timeline = StartupTimeline.Begin();
        var (help, version, usageError) = CommandLine.Read(args);
        if (help || version)
        {
            Console.Out.WriteLine(help ? CommandLine.Usage : "rollup-sequencer " + CommandLine.Version);
            return ExitCodes.Ok;
        }

        if (WalRecoveryCommand.IsRequested(args))
        {
            return WalRecoveryCommand.Run(args, Console.Out, Console.Error);
        }

        if (usageError is not null)
        {
            Console.Error.WriteLine("The sequencer cannot start: " + usageError);
            return ExitCodes.InvalidConfiguration;
        }

        WebApplication? app = null;
        StartupRecovery? recovery = null;
        try
        {
            // What the host would find at start, found here so that it ends with a line, not a host failure: every
            // ValidateOnStart section, then the log replay. The replay starts as soon as the data directory is locked and
            // the options are valid, and runs beside the mapping of the endpoints; nothing listens until it is done.
            app = Build(args, configureServices: null, timeline, afterLock: built =>
            {
                built.Services.GetService<IStartupValidator>()?.Validate();
                timeline.Mark("validate options");
                recovery = StartupRecovery.Start(built.Services.GetRequiredService<SequencerCore>());
            });
            // While the replay may still run: a port taken ends the start the same way, after the replay (the catch below).
            PortCheck.ThrowIfTaken(app.Configuration["Urls"]);
            timeline.Mark("check ports");
            recovery!.Wait();
            timeline.Mark("rest of recovery");
            timeline.LogWhenStarted(app);
            StartupSummary.LogWhenStarted(app);
            var dataDirectory = app.Services.GetRequiredService<DataDirectoryLock>().Directory;
            app.Run();
            return Log.WalTailCut.IsPending(dataDirectory) ? ExitCodes.TailCutPending : ExitCodes.Ok;
        }
        catch (Exception ex) when (ExitCodes.For(ex) is { } code)
        {
            // Secret settings are named, never shown (StartupFailure).
            Console.Error.WriteLine("The sequencer cannot start: " + ExitCodes.Describe(ex));
            recovery?.WaitQuietly(); // The replay may still be writing to the data directory: never release it under it.
            (app as IDisposable)?.Dispose();
            return code;
        }
    }

    /// <summary>The host's configuration sources, for commands that run instead of the host.</summary>
    internal static IConfiguration LoadConfiguration(string[] args) => CreateBuilder(args).Configuration;

    /// <param name="args">Command-line arguments.</param>
    /// <param name="configureServices">Extra registrations after the sequencer's own (tests use it to plug in stand-ins).</param>
    public static WebApplication Build(string[] args, Action<IServiceCollection>? configureServices = null) =>
        Build(args, configureServices, timeline: null, afterLock: null);

    /// <param name="args">Command-line arguments.</param>
    /// <param name="configureServices">Extra registrations.</param>
    /// <param name="timeline">Where the start goes, when the program runs.</param>
    /// <param name="afterLock">Called once the data directory is locked, before the endpoints are mapped.</param>
    private static WebApplication Build(string[] args, Action<IServiceCollection>? configureServices, StartupTimeline? timeline, Action<WebApplication>? afterLock)
    {
        var builder = CreateBuilder(args);
        timeline?.Mark("configuration");
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);
        builder.Services.AddSequencer(builder.Configuration);
        builder.Services.AddExecution(builder.Configuration, builder.Environment);
        builder.Services.AddAppDemo(builder.Configuration, builder.Environment);
        builder.Services.AddReplication(builder.Configuration);
        builder.AddSequencerIdentity();
        configureServices?.Invoke(builder.Services);
        builder.Services.AddHealthChecks()
            .AddCheck<CoreHealthCheck>("core", tags: ["ready"]);
        var telemetry = builder.Services.AddOpenTelemetry().ConfigureResource(TelemetryResource.Describe).WithMetrics(metrics =>
        {
            metrics.AddMeter(SequencerMetrics.MeterName)
                .AddMeter(Admission.Sponsorship.AdmissionMeter.MeterName)
                .AddAspNetCoreInstrumentation()
                .AddRuntimeInstrumentation()
                // No otel_scope_name/otel_scope_version label on every series: the metric names already say which meter
                // they come from (sequencer_, admission_, batcher_, …), and the labels only multiply the text scraped.
                .AddPrometheusExporter(prometheus => prometheus.ScopeInfoEnabled = false);
            if (!string.IsNullOrWhiteSpace(builder.Configuration["Telemetry:OtlpEndpoint"]))
            {
                metrics.AddOtlpExporter(otlp => otlp.Endpoint = new Uri(builder.Configuration["Telemetry:OtlpEndpoint"]!));
            }
        });

        if (timeline is not null)
        {
            // Last of the hosted services, which start in order before the server (GenericWebHostService): splits
            // "start services and listen" into the app's hosted services and Kestrel.
            builder.Services.AddHostedService(_ => new StartupTimeline.HostedServicesStarted(timeline));
        }

        timeline?.Mark("register services");
        var app = builder.Build();
        timeline?.Mark("build host");

        // First thing: nothing may touch the data directory (dev key, log, batcher files) before it is ours.
        app.Services.GetRequiredService<DataDirectoryLock>();
        afterLock?.Invoke(app);
        var forwarded = app.Services.GetRequiredService<IOptions<SequencerOptions>>().Value.ForwardedHeaders;
        if (forwarded.Enabled)
        {
            app.UseForwardedHeaders(forwarded.ToOptions());
        }

        app.UseApiResponseHeaders();
        app.UseMetricsAccess(builder.Configuration);
        app.UseWebSockets();
        app.MapSequencerIdentity();
        // Here, not first in the pipeline where WebApplication would add it: the operator policy needs the client
        // address and origin the forwarded-headers middleware sets, and its refusals the headers set above.
        app.UseAuthorization();
        var http = app.Services.GetRequiredService<JsonRpcHttpEndpoint>();
        var ws = app.Services.GetRequiredService<WebSocketEndpoint>();
        // Sponsored methods authenticate per call; paid ones need no identity: no authentication middleware per POST.
        app.MapPost("/", http.HandleAsync).WithMetadata(Admission.Web.AuthenticatesPerCall.Instance);
        app.Map("/ws", ws.HandleAsync);
        // As geth and anvil: a WebSocket client may connect to the same URL as HTTP (ws://host:port/).
        app.MapGet("/", ws.HandleAsync);
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") });
        app.MapPrometheusScrapingEndpoint(MetricsAccess.Path);
        app.MapAdmission();
        app.MapOperatorConsole();
        if (app.Services.GetService<Replication.ReplicaAppendEndpoint>() is { } replica)
        {
            app.MapPost(Replication.ReplicaAppendEndpoint.Path, replica.HandleAsync);
            app.MapGet(Replication.PeerHeadsGate.Path, replica.HeadAsync);
        }

        timeline?.Mark("map endpoints");
        return app;
    }

    private static WebApplicationBuilder CreateBuilder(string[] args)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
        });
        // The slim builder registers the simple console formatter only and pins it in code, over the setting; the full
        // AddConsole adds json and systemd, and the setting is applied again last, so that
        // Logging:Console:FormatterName=json works (docs/operations.md).
        builder.Logging.AddConsole();
        var formatter = builder.Configuration["Logging:Console:FormatterName"];
        if (!string.IsNullOrWhiteSpace(formatter))
        {
            builder.Services.PostConfigure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(console => console.FormatterName = formatter);
        }
        var extra = builder.Configuration["config"];
        if (!string.IsNullOrWhiteSpace(extra))
        {
            builder.Configuration.AddJsonFile(Path.GetFullPath(extra), optional: false, reloadOnChange: false);
            builder.Configuration.AddEnvironmentVariables();
            builder.Configuration.AddCommandLine(args);
        }

        return builder;
    }
}

/// <summary>Ready when the core has recovered and its log is writable; degraded while a replicating leader lacks acknowledgements.</summary>
internal sealed class CoreHealthCheck(SequencerCore core) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        // A replica set's leader short of acknowledgements still serves reads, and no other node could confirm either:
        // Degraded (HTTP 200), not Unhealthy; it clears when followers acknowledge again (docs/operations.md).
        if (core.Log?.Failure is Log.ReplicationShortfallException shortfall)
        {
            return Task.FromResult(HealthCheckResult.Degraded("confirmations refused: " + shortfall.Message));
        }

        if (core.Log?.Failure is { } failure)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("write-ahead log failed: " + failure.Message));
        }

        return Task.FromResult(core.IsReady ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("recovering or stopping"));
    }
}
