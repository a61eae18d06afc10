using Sequencer.Options;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using Sequencer.Execution;
using Sequencer.Rpc;
using Sequencer.Submission;
using Sequencer.History;

namespace Sequencer.Hosting;

/// <summary>
/// Wires the execution node (docs/execution.md): with <c>Sequencer:Execution:Kind</c> none (the default)
/// nothing is added; otherwise the follower, the backend, the read proxy, the funds check and a health check.
/// </summary>
internal static class ExecutionHosting
{
    public static IServiceCollection AddExecution(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ExecutionOptions>()
            .Bind(configuration.GetSection(ExecutionOptions.Section))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<ExecutionOptions>, ExecutionOptionsAnnotationsValidator>();
        services.AddSingleton<IValidateOptions<ExecutionOptions>, ExecutionOptionsValidator>();

        var configured = configuration.GetSection(ExecutionOptions.Section)["Kind"];
        var kind = ExecutionKind.None;
        if (!string.IsNullOrWhiteSpace(configured) && !Enum.TryParse(configured, ignoreCase: true, out kind))
        {
            throw new OptionsValidationException(ExecutionOptions.Section, typeof(ExecutionOptions),
                [$"{ExecutionOptions.Section}:Kind must be none, anvil or engine, got \"{configured}\""]);
        }

        if (kind == ExecutionKind.None)
        {
            // Ordering only: a plain transfer's gas is known without state (anything else says to configure a node), and a
            // receipt can say where a transaction is, not what it did.
            services.AddSingleton<IRpcModule, Rpc.Modules.TransferGasRpcModule>();
            services.AddSingleton<IRpcModule, Rpc.Modules.InclusionReceiptRpcModule>();
            return services;
        }

        services.AddSingleton<ExecutionMetrics>();
        services.AddSingleton(sp =>
        {
            var options = Options(sp);
            return new ExecutionNodeClient(new Uri(options.RpcUrl!), options.MaxConnections, TimeSpan.FromMilliseconds(options.RequestTimeoutMs));
        });
        services.AddSingleton<IExecutionBackend>(sp =>
        {
            var options = Options(sp);
            if (options.Kind == ExecutionKind.Engine)
            {
                var jwt = EngineJwt.FromFile(options.JwtSecretFile!, sp.GetRequiredService<TimeProvider>());
                // The follower is the only caller of the Engine API: a couple of connections suffice.
                var engine = new ExecutionNodeClient(new Uri(options.EngineUrl!), 2, TimeSpan.FromMilliseconds(options.RequestTimeoutMs), jwt.Token);
                return new EngineExecutionBackend(engine, options.BlockOffset, options.FeeRecipient,
                    sp.GetRequiredService<IOptions<SequencerOptions>>().Value.BlockGasLimit);
            }

            return new AnvilExecutionBackend(sp.GetRequiredService<ExecutionNodeClient>(), options.BlockOffset,
                sp.GetRequiredService<ILogger<AnvilExecutionBackend>>());
        });
        services.AddSingleton(sp => new ExecutionFollower(
            sp.GetRequiredService<ChainStore>(),
            sp.GetRequiredService<IExecutionBackend>(),
            sp.GetRequiredService<ExecutionMetrics>(),
            TimeSpan.FromMilliseconds(Options(sp).RetryDelayMs),
            sp.GetRequiredService<ILogger<ExecutionFollower>>()));
        services.AddHostedService(sp => sp.GetRequiredService<ExecutionFollower>());
        if (configuration.GetSection(ExecutionOptions.Section).GetValue("CheckBalance", true))
        {
            services.AddSingleton<IFundsCheck>(sp => new FundsCheck(
                sp.GetRequiredService<ExecutionNodeClient>(),
                sp.GetRequiredService<ExecutionFollower>(),
                Options(sp).BlockOffset,
                TimeSpan.FromMilliseconds(Options(sp).RequestTimeoutMs),
                sp.GetRequiredService<ExecutionMetrics>()));
        }

        services.AddSingleton<IRpcModule, ExecutionRpcModule>();
        services.AddHealthChecks().AddCheck<ExecutionHealthCheck>("execution", tags: ["ready"]);
        services.ConfigureOpenTelemetryMeterProvider(metrics => metrics.AddMeter(ExecutionMetrics.MeterName));
        return services;
    }

    private static ExecutionOptions Options(IServiceProvider services) => services.GetRequiredService<IOptions<ExecutionOptions>>().Value;
}
