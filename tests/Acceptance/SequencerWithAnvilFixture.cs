using TestInfrastructure.Anvil;
using TestInfrastructure.Sequencer;

namespace Acceptance;

/// <summary>
/// One anvil (automine off, as docs/execution.md says) and one sequencer process executing on it, shared by the
/// with-execution client tests of the collection: both start once.
/// </summary>
public sealed class SequencerWithAnvilFixture : IAsyncLifetime
{
    public const string Collection = "sequencer-with-anvil";

    private AnvilNode? _anvil;
    private SequencerProcess? _sequencer;

    public AnvilNode Anvil => _anvil ?? throw new InvalidOperationException("not started");

    public SequencerProcess Sequencer => _sequencer ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync()
    {
        _anvil = await AnvilNode.StartAsync(SequencerProcess.ChainId, "--no-mining", "--order", "fifo", "--base-fee", "0", "--gas-limit", "60000000");
        _sequencer = await SequencerProcess.StartAsync(
            "--Logging:LogLevel:Default=Warning",
            "--Sequencer:BlockTimeMs=50",
            "--Sequencer:Execution:Kind=anvil",
            $"--Sequencer:Execution:RpcUrl={_anvil.RpcUrl}");
    }

    public async Task DisposeAsync()
    {
        if (_sequencer is not null)
        {
            await _sequencer.DisposeAsync();
        }

        if (_anvil is not null)
        {
            await _anvil.DisposeAsync();
        }
    }
}

// Run alone, after the parallel collections: anvil, the sequencer and the node client scripts load a 2-core CI
// machine enough to skew the timing of the other collections' client flows.
[CollectionDefinition(SequencerWithAnvilFixture.Collection, DisableParallelization = true)]
public sealed class SequencerWithAnvilCollection : ICollectionFixture<SequencerWithAnvilFixture>;
