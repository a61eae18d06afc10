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
    public static IServiceCollection AddExecution(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
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
                [$"{ExecutionOptions.Section}:Kind must be none, anvil, engine or auto, got \"{configured}\""]);
        }

        if (kind == ExecutionKind.Auto)
        {
            kind = ResolveAuto(services, configuration, environment);
        }

        // Wei budgets (docs/admission.md "Budgets in wei"): charged at the sequencer's minimum fee, settled on receipts when a node executes.
        services.AddSingleton(sp => new Admission.Spending.SponsoredGasPrice(
            sp.GetRequiredService<IOptions<SequencerOptions>>().Value.Transactions.MinFeePerGasWei, kind != ExecutionKind.None));
        if (kind == ExecutionKind.None)
        {
            // Ordering only: a plain transfer's gas is known without state (anything else says to configure a node), a
            // receipt can say where a transaction is, not what it did, and state reads say they need a node.
            services.AddSingleton<IRpcModule, Rpc.Modules.TransferGasRpcModule>();
            services.AddSingleton<IRpcModule, Rpc.Modules.InclusionReceiptRpcModule>();
            services.AddSingleton<IRpcModule, Rpc.Modules.StateReadsNeedNodeRpcModule>();
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

        services.AddHostedService(sp => new SpendSettlement(
            sp.GetRequiredService<Admission.Spending.SpendLedger>(),
            sp.GetRequiredService<ExecutionNodeClient>(),
            sp.GetRequiredService<ExecutionFollower>(),
            Options(sp).BlockOffset,
            TimeSpan.FromMilliseconds(Options(sp).RetryDelayMs),
            sp.GetRequiredService<ILogger<SpendSettlement>>()));
        services.AddSingleton<IRpcModule, ExecutionRpcModule>();
        // One chain of blocks: clients are served the node's blocks (docs/execution.md, "Block hashes").
        services.AddSingleton(sp => new ExecutedBlocks(
            sp.GetRequiredService<ExecutionNodeClient>(),
            sp.GetRequiredService<ExecutionFollower>(),
            sp.GetRequiredService<ChainStore>(),
            Options(sp).BlockOffset,
            sp.GetRequiredService<IOptions<SequencerOptions>>().Value.Transactions.MinFeePerGasWei));
        services.AddSingleton<IExecutedBlocks>(sp => sp.GetRequiredService<ExecutedBlocks>());
        services.AddSingleton<IRpcModule, ExecutedBlockRpcModule>();
        services.AddHealthChecks().AddCheck<ExecutionHealthCheck>("execution", tags: ["ready"]);
        services.ConfigureOpenTelemetryMeterProvider(metrics => metrics.AddMeter(ExecutionMetrics.MeterName));
        return services;
    }

    /// <summary>
    /// Kind=auto: in Development with an anvil binary, a managed anvil on a free loopback port (the settings say anvil
    /// at its URL from here on); otherwise ordering only, and the log says what is missing and how to get it.
    /// </summary>
    private static ExecutionKind ResolveAuto(IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        var section = configuration.GetSection(ExecutionOptions.Section);
        string? binary = null;
        var reason = environment.IsDevelopment()
            ? (binary = AnvilBinary.Find(section["AnvilPath"], environment.ContentRootPath)) is null
                ? $"no anvil binary found ({AnvilBinary.WhereLooked(section["AnvilPath"], environment.ContentRootPath)}); scripts/test.sh installs one into tools/node_modules, or install foundry (https://getfoundry.sh), or set {ExecutionOptions.Section}:AnvilPath"
                : null
            : $"{ExecutionOptions.Section}:Kind=auto starts anvil only in the Development environment (this is {environment.EnvironmentName}); set Kind to anvil or engine with an RpcUrl";
        if (binary is null)
        {
            section["Kind"] = "none";
            services.AddHostedService(sp => new ExecutionAutoNotice(reason!, sp.GetRequiredService<ILogger<ExecutionAutoNotice>>()));
            return ExecutionKind.None;
        }

        var sequencer = configuration.GetSection(SequencerOptions.Section);
        var defaults = new SequencerOptions();
        var chainId = sequencer.GetValue("ChainId", defaults.ChainId);
        var gasLimit = 2 * sequencer.GetValue("BlockGasLimit", defaults.BlockGasLimit);
        var port = ManagedAnvil.FreeLoopbackPort();
        section["Kind"] = "anvil";
        section["RpcUrl"] = $"http://127.0.0.1:{port}";
        // Registered before the follower, so anvil listens before execution starts and stops after it.
        services.AddHostedService(sp => new ManagedAnvil(binary, port, chainId, gasLimit, sp.GetRequiredService<ILogger<ManagedAnvil>>()));
        return ExecutionKind.Anvil;
    }

    private static ExecutionOptions Options(IServiceProvider services) => services.GetRequiredService<IOptions<ExecutionOptions>>().Value;
}
