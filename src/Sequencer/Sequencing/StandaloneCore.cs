using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging.Abstractions;
using Sequencer.History;
using Sequencer.Log;
using Sequencer.Options;

namespace Sequencer.Sequencing;

/// <summary>
/// A core on its own, without the host (the block-share test and the core benchmarks): a new chain in the options' data
/// directory, the system clock, no observers, and lane shares fixed for the run rather than read from a policy.
/// </summary>
internal static class StandaloneCore
{
    public static SequencerCore Create(
        SequencerOptions options, DataDirectoryLock dataDirectory, IMeterFactory meters, out ChainStore store,
        LaneShares? shares = null, OpenTransactionLog? openLog = null)
    {
        store = new ChainStore(BlockAssembler.CreateGenesis(options.GenesisTimestamp, options.BlockGasLimit), options.History);
        var hold = options.NonceHold;
        var nonces = new NonceBook(hold.MaxPerSender, hold.MaxTotal, TimeSpan.FromMilliseconds(hold.WaitMs), TimeProvider.System);
        return new SequencerCore(
            Microsoft.Extensions.Options.Options.Create(options), store, nonces, new BlockAssembler(store, options.BlockGasLimit),
            new SequencerMetrics(meters), TimeProvider.System, NullLogger<SequencerCore>.Instance, [], dataDirectory, openLog,
            shares: shares is { } fixedShares ? new FixedShares(fixedShares) : null);
    }

    private sealed class FixedShares(LaneShares shares) : ILaneSharesSource
    {
        public LaneShares Current => shares;
    }
}
