using Sequencer.Options;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Sequencer.Feed;
using Sequencer.Rpc;
using Sequencer.Rpc.Modules;
using Sequencer.Sequencing;
using Sequencer.Submission;
using Sequencer.Transactions;
using Sequencer.History;

namespace Sequencer.Hosting;

internal static class SequencerServiceCollectionExtensions
{
    /// <summary>The sequencing engine, its JSON-RPC surface and the feed.</summary>
    public static IServiceCollection AddSequencer(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SequencerOptions>()
            .Bind(configuration.GetSection(SequencerOptions.Section))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<SequencerOptions>, SequencerOptionsValidator>();
        services.AddSingleton<IValidateOptions<SequencerOptions>, RpcOptionsValidator>();
        services.AddSingleton<IValidateOptions<SequencerOptions>, HistoryOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);

        services.AddSingleton(sp =>
        {
            var options = Options(sp);
            return SequencerKeyLoader.Load(options, sp.GetRequiredService<IHostEnvironment>().IsDevelopment(), sp.GetRequiredService<ILoggerFactory>().CreateLogger("Sequencer.Key"));
        });
        services.AddSingleton(sp => new SoftConfirmationSigner(sp.GetRequiredService<SequencerKey>(), Options(sp).ChainId));
        services.AddSingleton(sp => new ChainStore(BlockAssembler.CreateGenesis(Options(sp).GenesisTimestamp, Options(sp).BlockGasLimit), Options(sp).History));
        services.AddSingleton(sp => new BlockAssembler(sp.GetRequiredService<ChainStore>(), Options(sp).BlockGasLimit));
        services.AddSingleton(sp =>
        {
            var hold = Options(sp).NonceHold;
            return new NonceBook(hold.MaxPerSender, hold.MaxTotal, TimeSpan.FromMilliseconds(hold.WaitMs), sp.GetRequiredService<TimeProvider>());
        });
        services.AddSingleton<SequencerMetrics>();
        services.AddSingleton(sp => DataDirectoryLock.Acquire(Options(sp).DataDirectory));
        services.AddSingleton<SequencerCore>();
        services.AddHostedService(sp => sp.GetRequiredService<SequencerCore>());
        services.AddSingleton(sp =>
        {
            var options = Options(sp);
            return new TransactionValidator(new TransactionValidationOptions
            {
                ChainId = options.ChainId,
                MaxEncodedSize = options.Transactions.MaxEncodedBytes,
                BlockGasLimit = options.BlockGasLimit,
                MinFeePerGasWei = options.Transactions.MinFeePerGasWei,
            });
        });
        services.AddSingleton<TransactionIntake>();
        services.AddSingleton<TransactionSubmitter>();

        services.AddSingleton<FeedHub>();
        services.AddSingleton<IChainObserver>(sp => sp.GetRequiredService<FeedHub>());
        services.AddHostedService(sp => sp.GetRequiredService<FeedHub>());

        services.AddSingleton(sp => new ChainViews(
            sp.GetRequiredService<ChainStore>(),
            sp.GetRequiredService<SoftConfirmationSigner>(),
            Options(sp).ChainId,
            Options(sp).Transactions.MinFeePerGasWei));
        services.AddSingleton<IRpcModule, EthRpcModule>();
        services.AddSingleton<IRpcModule, FeeRpcModule>();
        services.AddSingleton<IRpcModule, NodeStatusRpcModule>();
        services.AddSingleton<IRpcModule, BlockIndexRpcModule>();
        services.AddSingleton(sp => new Rpc.Filters.PollFilters(sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IRpcModule, FilterRpcModule>();
        services.AddSingleton<IRpcModule, SequencerRpcModule>();
        services.AddSingleton<IRpcModule, SubscriptionRpcModule>();
        services.AddSingleton<RpcMethodTable>();
        services.AddSingleton(_ => ReplyBuffers.Create());
        services.AddSingleton(sp => new JsonRpcProcessor(
            sp.GetRequiredService<RpcMethodTable>(),
            Options(sp).Rpc.MaxBatchSize,
            Options(sp).Rpc.MaxResponseBytes,
            sp.GetRequiredService<ILogger<JsonRpcProcessor>>()));
        services.AddSingleton<JsonRpcHttpEndpoint>();
        services.AddSingleton<WebSocketEndpoint>();
        services.AddAdmissionHosting(configuration);
        services.AddBatcherHosting(configuration);
        services.AddOperatorConsole(configuration);
        return services;
    }

    private static SequencerOptions Options(IServiceProvider services) => services.GetRequiredService<IOptions<SequencerOptions>>().Value;
}
