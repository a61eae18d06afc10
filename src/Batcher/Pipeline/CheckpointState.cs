using Primitives.Chain;
using Nethereum.Hex.HexConvertors.Extensions;

namespace Batcher.Pipeline;

/// <summary>
/// The batcher's checkpoint in memory, shared by the batch loop, the L1 post tracker and the reconciliation: every
/// change happens under <see cref="EnterAsync"/> and is saved (fsynced) before it counts; the status follows it.
/// </summary>
internal sealed class CheckpointState(CheckpointFile file, BatcherStatus status, BatchJournal? journal = null) : IDisposable
{
    private readonly SemaphoreSlim _lock = new(1, 1);
    private TaskCompletionSource _inFlightChanged = NewSignal();

    public BatcherCheckpoint Checkpoint { get; private set; } = new();

    /// <summary>Completes the next time posts leave the in-flight list (confirmed, or dropped by a reconciliation).</summary>
    public Task InFlightChanged => Volatile.Read(ref _inFlightChanged).Task;

    public void Load()
    {
        Checkpoint = file.Load();
        status.SetNextBlock(Checkpoint.NextBlock);
        status.SetInFlight(Checkpoint.InFlight.Count);
        status.SetConfirmed(Checkpoint.LastConfirmedBatch ?? -1);
    }

    /// <summary>Takes the checkpoint lock; dispose the result to release it.</summary>
    public async ValueTask<Held> EnterAsync(CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        return new Held(_lock);
    }

    public void Save() => file.Save(Checkpoint);

    /// <summary>The next batch starts after <paramref name="batch"/>.</summary>
    public void Advance(BuiltBatch batch)
    {
        Checkpoint.NextBatchIndex = batch.Index + 1;
        Checkpoint.NextBlock = batch.LastBlock + 1;
        Checkpoint.NextSequence = batch.NextSequence;
        Checkpoint.ParentAccumulator = batch.EndAccumulator.ToHex(true);
        Checkpoint.NextForcedIndex = batch.ForcedThrough;
        status.SetNextBlock(Checkpoint.NextBlock);
    }

    /// <summary>The next batch to build starts at <paramref name="nextBlock"/>, right after what the inbox (or the journal) holds.</summary>
    public void MoveTo(ulong nextIndex, ulong nextBlock, ISealedBlockSource source)
    {
        ulong nextSequence = 0;
        var accumulator = new byte[32];
        if (nextBlock > 1)
        {
            var last = source.GetSealedBlock(nextBlock - 1)
                ?? throw new InvalidOperationException($"the inbox has batches up to block {nextBlock - 1}, which this chain has not sealed");
            nextSequence = last.FirstSequence + (ulong)last.Transactions.Count;
            accumulator = last.Accumulator.ToArray();
        }

        Checkpoint.NextBatchIndex = nextIndex;
        Checkpoint.NextBlock = nextBlock;
        Checkpoint.NextSequence = nextSequence;
        Checkpoint.ParentAccumulator = accumulator.ToHex(true);

        // The inbox's nextForcedIndex is the forcedThrough of the batch before nextIndex; the journal holds every batch made.
        Checkpoint.NextForcedIndex = nextIndex == 0 || journal is null
            ? 0
            : journal.ReadLatest(nextIndex - 1, nextIndex).TryGetValue(nextIndex - 1, out var previous) ? previous.ForcedThrough : 0;
        status.SetNextBlock(nextBlock);
    }

    /// <summary>Batch bytes posted and not yet confirmed.</summary>
    public long InFlightBytes()
    {
        long total = 0;
        foreach (var record in Checkpoint.InFlight)
        {
            total += record.BatchBytes;
        }

        return total;
    }

    /// <summary>Wakes whoever waits for a post slot (<see cref="InFlightChanged"/>).</summary>
    public void SignalInFlightChanged() => Interlocked.Exchange(ref _inFlightChanged, NewSignal()).TrySetResult();

    public void Dispose() => _lock.Dispose();

    internal static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The held checkpoint lock.</summary>
    internal readonly struct Held(SemaphoreSlim held) : IDisposable
    {
        public void Dispose() => held.Release();
    }
}
