using System.Collections.Concurrent;
using Primitives.Chain;
using Primitives;

namespace Sequencer.Sequencing;

/// <summary>
/// Everything the sequencer has ordered, readable from any thread while the core appends.
/// Visibility follows durability: a transaction is visible once its log record is fsynced,
/// a block once it is sealed and all its transactions are durable.
/// </summary>
/// <remarks>
/// All history is held in memory (about 300 bytes per transaction plus its raw bytes); the log on
/// disk is the durable copy. Keeping only recent blocks in memory is future work (docs/operations.md).
/// </remarks>
internal sealed class ChainStore : ISealedBlockSource
{
    private readonly AppendOnlyList<SequencedTransaction> _transactions = new();
    private readonly ConcurrentDictionary<Hash32, long> _sequenceByHash = new();
    private readonly AppendOnlyList<ChainBlock> _blocks = new();
    private readonly ConcurrentDictionary<Hash32, ulong> _blockByHash = new();
    private readonly ConcurrentDictionary<Address, ulong> _latestNonces = new();
    private long _durableEnd;
    private long _latestBlock;
    private TaskCompletionSource _blockPublished = NewSignal();

    public ChainStore(ChainBlock genesis)
    {
        _blocks.Add(genesis);
        _blockByHash[genesis.Hash] = 0;
    }

    /// <summary>Sequence numbers below this are durable and visible.</summary>
    public long DurableEnd => Volatile.Read(ref _durableEnd);

    /// <summary>Sequence number the next transaction will get (includes ones not yet durable).</summary>
    public long SequencedCount => _transactions.Count;

    public ulong LatestBlockNumber => (ulong)Volatile.Read(ref _latestBlock);

    public ChainBlock LatestBlock => _blocks.Get(Volatile.Read(ref _latestBlock))!;

    public ChainBlock Genesis => _blocks.Get(0)!;

    /// <summary>The block after the latest published one, if the core has opened it (may be sealed but not yet durable).</summary>
    public ChainBlock? PendingBlock => _blocks.Get(Volatile.Read(ref _latestBlock) + 1);

    // --- reads (any thread) ---

    public SequencedTransaction? GetTransaction(long sequence) =>
        sequence < DurableEnd ? _transactions.Get(sequence) : null;

    public SequencedTransaction? GetTransaction(Hash32 hash) =>
        _sequenceByHash.TryGetValue(hash, out var sequence) ? GetTransaction(sequence) : null;

    public ChainBlock? GetBlock(ulong number) =>
        number <= LatestBlockNumber ? _blocks.Get((long)number) : null;

    public ChainBlock? GetBlock(Hash32 hash) =>
        _blockByHash.TryGetValue(hash, out var number) ? GetBlock(number) : null;

    /// <summary>Nonce count of <paramref name="sender"/> in published blocks.</summary>
    public ulong GetLatestNonce(Address sender) => _latestNonces.TryGetValue(sender, out var next) ? next : 0;

    /// <summary>The durable transactions of <paramref name="block"/>, in order.</summary>
    public int CopyTransactions(ChainBlock block, Span<SequencedTransaction> destination)
    {
        var end = Math.Min(block.FirstSequence + block.TransactionCount, DurableEnd);
        var count = (int)Math.Max(0, end - block.FirstSequence);
        count = Math.Min(count, destination.Length);
        for (var i = 0; i < count; i++)
        {
            destination[i] = _transactions.Get(block.FirstSequence + i)!;
        }

        return count;
    }

    public int DurableTransactionCount(ChainBlock block) =>
        (int)Math.Clamp(DurableEnd - block.FirstSequence, 0, block.TransactionCount);

    // --- writes (core writer thread) ---

    /// <summary>Core writer only: the sequence number the transaction was given, if it was sequenced.</summary>
    public bool TryGetSequence(Hash32 hash, out long sequence) => _sequenceByHash.TryGetValue(hash, out sequence);

    /// <summary>Core writer only: unpublished transactions are reachable for de-duplication.</summary>
    public SequencedTransaction? GetSequenced(long sequence) => _transactions.Get(sequence);

    public void AddTransaction(SequencedTransaction transaction)
    {
        _transactions.Add(transaction);
        _sequenceByHash[transaction.Hash] = transaction.Sequence;
    }

    public void AddBlock(ChainBlock block) => _blocks.Add(block);

    // --- publication (the log's flusher thread, in order) ---

    public void MarkDurable(long durableEnd) => Volatile.Write(ref _durableEnd, durableEnd);

    /// <summary>Makes a sealed block visible: its hash resolves, latest nonces move, waiters wake.</summary>
    public void PublishBlock(ChainBlock block)
    {
        for (var s = block.FirstSequence; s < block.FirstSequence + block.TransactionCount; s++)
        {
            var tx = _transactions.Get(s)!;
            _latestNonces[tx.Sender] = tx.Nonce + 1;
        }

        _blockByHash[block.Hash] = block.Number;
        Volatile.Write(ref _latestBlock, (long)block.Number);
        var signal = Interlocked.Exchange(ref _blockPublished, NewSignal());
        signal.TrySetResult();
    }

    // --- ISealedBlockSource: the batcher's input ---

    ulong ISealedBlockSource.LatestSealedNumber => LatestBlockNumber;

    SealedBlock? ISealedBlockSource.GetSealedBlock(ulong number)
    {
        var block = GetBlock(number);
        if (block is null)
        {
            return null;
        }

        var raws = new ReadOnlyMemory<byte>[block.TransactionCount];
        for (var i = 0; i < raws.Length; i++)
        {
            raws[i] = _transactions.Get(block.FirstSequence + i)!.Raw;
        }

        return new SealedBlock(block.Number, block.Timestamp, block.ParentHash.ToArray(), block.Hash.ToArray(),
            (ulong)block.FirstSequence, block.Accumulator.ToArray(), raws);
    }

    async ValueTask ISealedBlockSource.WaitForSealedBlockAsync(ulong number, CancellationToken cancellationToken)
    {
        while (LatestBlockNumber < number)
        {
            var signal = Volatile.Read(ref _blockPublished);
            if (LatestBlockNumber >= number)
            {
                return;
            }

            await signal.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
