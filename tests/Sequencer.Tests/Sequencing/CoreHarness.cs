using Microsoft.Extensions.DependencyInjection;
using System.Diagnostics.Metrics;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging.Abstractions;
using Primitives;
using Sequencer.Options;
using Sequencer.Sequencing;
using TestInfrastructure.Time;
using Sequencer.History;

namespace Sequencer.Tests.Sequencing;

/// <summary>
/// A <see cref="SequencerCore"/> on its own: fake time (<see cref="Time"/>, moved only by the test), an in-memory log
/// (<see cref="Log"/>), a throwaway data directory for recovery and the history index.
/// </summary>
internal sealed class CoreHarness : IAsyncDisposable
{
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private readonly DataDirectoryLock _dataDirectory;
    private readonly ServiceProvider _services;
    private bool _stopped;

    private CoreHarness(SequencerOptions options, TimeProvider? clock)
    {
        Options = options;
        _dataDirectory = DataDirectoryLock.Acquire(options.DataDirectory);
        _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        Store = new ChainStore(BlockAssembler.CreateGenesis(options.GenesisTimestamp, options.BlockGasLimit), options.History);
        var hold = options.NonceHold;
        var time = clock ?? Time;
        Nonces = new NonceBook(hold.MaxPerSender, hold.MaxTotal, TimeSpan.FromMilliseconds(hold.WaitMs), time);
        Core = new SequencerCore(
            Microsoft.Extensions.Options.Options.Create(options), Store, Nonces, new BlockAssembler(Store, options.BlockGasLimit),
            new SequencerMetrics(_services.GetRequiredService<IMeterFactory>()), time, NullLogger<SequencerCore>.Instance, [], _dataDirectory,
            (_, next, onDurable, onFailure, onRecovered) => Log = new MemoryTransactionLog(next, onDurable, onFailure, onRecovered));
    }

    public TimerWatchingTime Time { get; } = new();

    public SequencerOptions Options { get; }

    public SequencerCore Core { get; }

    public ChainStore Store { get; }

    public NonceBook Nonces { get; }

    public MemoryTransactionLog Log { get; private set; } = null!;

    /// <param name="configure">Options over the defaults.</param>
    /// <param name="clock">
    /// The core's clock; by default <see cref="Time"/>. Tests of the empty-block catch-up pass the system clock: the catch-up
    /// runs as fast as the writer seals, which a fake clock cannot show.
    /// </param>
    /// <param name="headTimestamp">
    /// When given, the log already holds one transaction in block 1 with this timestamp (written with the real
    /// <see cref="Sequencer.Log.WriteAheadLog"/> before the start, as a previous run would have left it): a start then has one empty
    /// block to seal for every second since, none of them shown before (the <see cref="EmptyBlockMark"/> says block 1).
    /// </param>
    /// <param name="shownUpTo">With <paramref name="headTimestamp"/>: the highest block the previous run may have shown (its mark).</param>
    public static async Task<CoreHarness> StartAsync(
        Action<SequencerOptions>? configure = null, TimeProvider? clock = null, ulong? headTimestamp = null, ulong shownUpTo = 1)
    {
        var options = new SequencerOptions { DataDirectory = Directory.CreateTempSubdirectory("core-test-").FullName };
        configure?.Invoke(options);
        if (headTimestamp is { } timestamp)
        {
            WriteOneRecordLog(Path.Combine(options.DataDirectory, "wal"), timestamp);
            // As a run that sealed block 1 (and shownUpTo − 1 empty blocks after it) leaves the directory.
            new EmptyBlockMark(options.DataDirectory, durable: false).Write(shownUpTo);
        }

        var harness = new CoreHarness(options, clock);
        await harness.Core.StartAsync(CancellationToken.None);
        return harness;
    }

    private static void WriteOneRecordLog(string walDirectory, ulong timestamp)
    {
        Directory.CreateDirectory(walDirectory);
        var request = Request(NewSender(), 0);
        var failure = (Exception?)null;
        using var log = new Sequencer.Log.WriteAheadLog(walDirectory, 1L << 20, fsync: false, 0, _ => { }, ex => failure = ex);
        log.Append(new Sequencer.Log.TxLogRecord(0, 1, 0, timestamp, 0, request.GasLimit, request.Sender,
            Primitives.Chain.Accumulator.Next(Hash32.Zero, Keccak.Hash(request.Raw))), request.Raw);
        log.Commit();
        if (!SpinWait.SpinUntil(() => log.DurableEndSequence >= 1 || failure is not null, Bound) || failure is not null)
        {
            throw new InvalidOperationException("the seed log was not written", failure);
        }
    }

    /// <summary>A new sender (random address).</summary>
    public static Address NewSender() => new(RandomNumberGenerator.GetBytes(Address.Length));

    /// <summary>A transaction the intake would have decoded: a random hash and raw bytes stand in for a signed one.</summary>
    public static SequencingRequest Request(Address sender, ulong nonce, ulong gas = 21_000) =>
        new(new Hash32(RandomNumberGenerator.GetBytes(Hash32.Length)), RandomNumberGenerator.GetBytes(100), sender, nonce, gas);

    public Task<SequencingOutcome> SubmitAsync(SequencingRequest request, CancellationToken cancellationToken = default) =>
        Core.SubmitAsync(request, cancellationToken).AsTask();

    /// <summary>Submits and waits for the outcome (bounded, so that a missing answer fails the test instead of hanging it).</summary>
    public async Task<SequencingOutcome> SequenceAsync(SequencingRequest request) => await SubmitAsync(request).WaitAsync(Bound);

    /// <summary>
    /// Submits a first transaction and holds the single writer inside its log append: the queue behind it fills up.
    /// Setting <c>release</c> lets the writer go on; the returned task is the first transaction's outcome.
    /// </summary>
    public async Task<(Task<SequencingOutcome> First, ManualResetEventSlim Release)> StallWriterAsync()
    {
        var stalled = Log.StallAppends(out var release);
        var first = SubmitAsync(Request(NewSender(), 0));
        await stalled.WaitAsync(Bound);
        return (first, release);
    }

    /// <summary>Waits for the writer (a real thread) to have <paramref name="count"/> transactions held for a nonce gap.</summary>
    public Task HeldAsync(int count) =>
        TestInfrastructure.Eventually.UntilAsync(() => Core.HeldCount == count, Bound, $"{count} transactions held (now {Core.HeldCount})");

    public async Task StopAsync()
    {
        _stopped = true;
        await Core.StopAsync(CancellationToken.None).WaitAsync(Bound);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stopped)
        {
            await StopAsync();
        }

        Core.Dispose();
        await _services.DisposeAsync();
        _dataDirectory.Dispose();
        Directory.Delete(Options.DataDirectory, recursive: true);
    }
}
