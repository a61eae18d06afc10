using TestInfrastructure.Sequencer;

namespace Acceptance;

/// <summary>One sequencer child process shared by the client tests of the collection.</summary>
public sealed class SequencerProcessFixture : IAsyncLifetime
{
    public const string Collection = "sequencer-process";

    private SequencerProcess? _sequencer;

    public SequencerProcess Sequencer => _sequencer ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync() => _sequencer = await SequencerProcess.StartAsync("--Logging:LogLevel:Default=Warning");

    public async Task DisposeAsync()
    {
        if (_sequencer is not null)
        {
            await _sequencer.DisposeAsync();
        }
    }
}

[CollectionDefinition(SequencerProcessFixture.Collection)]
public sealed class SequencerProcessCollection : ICollectionFixture<SequencerProcessFixture>;
