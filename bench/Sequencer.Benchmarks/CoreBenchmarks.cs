using System.Diagnostics.Metrics;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Primitives;
using Sequencer.History;
using Sequencer.Options;
using Sequencer.Sequencing;

namespace Sequencer.Benchmarks;

/// <summary>
/// The sequencing core on an in-memory log (<see cref="InMemoryTransactionLog"/>): one operation is a burst of
/// <see cref="Burst"/> already-decoded transfers from distinct senders, submitted at once and awaited until all are
/// confirmed. What it covers: the bounded queue, the single writer (nonce check, block filling and sealing, sequence
/// number and accumulator), the durability publisher's thread hand-off and the completion of each request. Not
/// covered: HTTP, JSON-RPC, decoding and sender recovery (IntakeBenchmarks), the WAL (WalAppendBenchmarks), signing.
/// </summary>
[MemoryDiagnoser]
public class CoreBenchmarks : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly byte[] _raw = SampleTransactions.Erc20Transfer(0);
    private DataDirectoryLock _dataDirectory = null!;
    private SequencerCore _core = null!;
    private string _directory = null!;
    private Address[] _senders = [];
    private ulong _nonce;
    private long _hashCounter;

    [Params(1, 64)]
    public int Burst { get; set; }

    [GlobalSetup]
    public async Task Setup()
    {
        _directory = Directory.CreateTempSubdirectory("core-bench-").FullName;
        var options = new SequencerOptions { DataDirectory = _directory };
        _dataDirectory = DataDirectoryLock.Acquire(options.DataDirectory);
        var store = new ChainStore(BlockAssembler.CreateGenesis(options.GenesisTimestamp, options.BlockGasLimit), options.History);
        var hold = options.NonceHold;
        var nonces = new NonceBook(hold.MaxPerSender, hold.MaxTotal, TimeSpan.FromMilliseconds(hold.WaitMs), TimeProvider.System);
        _core = new SequencerCore(
            Microsoft.Extensions.Options.Options.Create(options), store, nonces, new BlockAssembler(store, options.BlockGasLimit),
            new SequencerMetrics(_services.GetRequiredService<IMeterFactory>()), TimeProvider.System, NullLogger<SequencerCore>.Instance, [],
            _dataDirectory, (_, next, onDurable, _, _) => new InMemoryTransactionLog(next, onDurable));
        await _core.StartAsync(CancellationToken.None);

        _senders = new Address[Burst];
        for (var i = 0; i < Burst; i++)
        {
            var bytes = new byte[Address.Length];
            BitConverter.TryWriteBytes(bytes, i + 1);
            _senders[i] = new Address(bytes);
        }
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _core.StopAsync(CancellationToken.None);
        Dispose();
    }

    public void Dispose()
    {
        _core.Dispose();
        _dataDirectory.Dispose();
        _services.Dispose();
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }

        GC.SuppressFinalize(this);
    }

    [Benchmark]
    public async Task SequenceBurst()
    {
        var nonce = _nonce++;
        var pending = new Task<SequencingOutcome>[Burst];
        for (var i = 0; i < Burst; i++)
        {
            pending[i] = _core.SubmitAsync(new SequencingRequest(NextHash(), _raw, _senders[i], nonce, 60_000), CancellationToken.None).AsTask();
        }

        foreach (var outcome in pending)
        {
            if ((await outcome.ConfigureAwait(false)).Rejection != SequencingRejection.None)
            {
                throw new InvalidOperationException("the core refused a transaction in the benchmark");
            }
        }
    }

    /// <summary>Each transaction needs its own hash (the core treats a known hash as an idempotent re-send).</summary>
    private Hash32 NextHash()
    {
        var bytes = new byte[Hash32.Length];
        BitConverter.TryWriteBytes(bytes, ++_hashCounter);
        return new Hash32(bytes);
    }
}
