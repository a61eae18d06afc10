using System.Collections.Concurrent;
using Primitives;
using Primitives.Chain;
using Sequencer.Options;
using Sequencer.Chain;

namespace Sequencer.History;

/// <summary>
/// Everything the sequencer has ordered, readable from any thread while the core appends.
/// Visibility follows durability: a transaction is visible once its log record is fsynced,
/// a block once it is sealed and all its transactions are durable.
/// </summary>
/// <remarks>
/// Recent transactions and blocks are held in memory, bounded by <see cref="HistoryOptions"/> (count and bytes);
/// older ones are read from the log through the on-disk history index (<see cref="HistoryIndex"/>). An item leaves
/// memory only once a history chunk covers it, so the bound is exceeded by at most what the indexer has not written
/// yet (about <see cref="HistoryOptions.ChunkTransactions"/>, at most half the bound: it writes a chunk whenever that
/// much is waiting).
/// </remarks>
internal sealed class ChainStore : ISealedBlockSource
{
    private readonly RecentWindow<SequencedTransaction> _transactions = new(static tx => tx.Sequence);
    private readonly ConcurrentDictionary<Hash32, long> _sequenceByHash;
    private readonly RecentWindow<ChainBlock> _blocks = new(static block => (long)block.Number);
    private readonly ConcurrentDictionary<Hash32, ulong> _blockByHash = new();
    private ConcurrentDictionary<Address, ulong> _latestNonces = new();
    private readonly HistoryOptions _bounds;
    private readonly ChainBlock _genesis;
    private HistoryIndex? _history;
    private ChainBlock _latest;
    private long _durableEnd;
    private long _bytes;
    private long _unindexedBytes;
    private TaskCompletionSource _blockPublished = NewSignal();

    public ChainStore(ChainBlock genesis, HistoryOptions? bounds = null)
    {
        _genesis = genesis;
        _latest = genesis;
        _bounds = bounds ?? new HistoryOptions();

        // Sized for the bound up front: growing a map of a few hundred thousand entries rehashes it several times.
        _sequenceByHash = new(Environment.ProcessorCount, Math.Min(_bounds.MaxTransactions + _bounds.ChunkTransactions, 1 << 22));
        _blocks.Reset(1);
        _blockByHash[genesis.Hash] = 0;
    }

    /// <summary>Sequence numbers below this are durable and visible.</summary>
    public long DurableEnd => Volatile.Read(ref _durableEnd);

    /// <summary>Sequence number the next transaction will get (includes ones not yet durable).</summary>
    public long SequencedCount => _transactions.End;

    public ulong LatestBlockNumber => Volatile.Read(ref _latest).Number;

    public ChainBlock LatestBlock => Volatile.Read(ref _latest);

    public ChainBlock Genesis => _genesis;

    /// <summary>The block after the latest published one, if the core has opened it (may be sealed but not yet durable).</summary>
    public ChainBlock? PendingBlock => _blocks.Get((long)LatestBlockNumber + 1);

    /// <summary>The on-disk history, once recovery opened it.</summary>
    public HistoryIndex? History => Volatile.Read(ref _history);

    /// <summary>Transactions held in memory.</summary>
    public long TransactionsInMemory => _transactions.Count;

    /// <summary>Blocks held in memory.</summary>
    public long BlocksInMemory => _blocks.Count;

    /// <summary>Bytes the transactions in memory count for (raw plus a fixed overhead each).</summary>
    public long BytesInMemory => Volatile.Read(ref _bytes);

    /// <summary>Bytes of durable-or-not transactions no history chunk covers yet.</summary>
    public long UnindexedBytes => Volatile.Read(ref _unindexedBytes);

    // --- reads (any thread) ---

    public SequencedTransaction? GetTransaction(long sequence)
    {
        if (sequence < 0 || sequence >= DurableEnd)
        {
            return null;
        }

        return _transactions.Get(sequence) ?? History?.ReadTransaction(sequence);
    }

    public SequencedTransaction? GetTransaction(Hash32 hash)
    {
        if (_sequenceByHash.TryGetValue(hash, out var sequence) && GetTransaction(sequence) is { } recent)
        {
            return recent;
        }

        return History?.FindTransaction(hash) is { } old && old.Sequence < DurableEnd ? old : null;
    }

    public ChainBlock? GetBlock(ulong number)
    {
        if (number == 0)
        {
            return _genesis;
        }

        if (number > LatestBlockNumber)
        {
            return null;
        }

        return _blocks.Get((long)number) ?? History?.ReadBlock(number);
    }

    public ChainBlock? GetBlock(Hash32 hash)
    {
        if (_blockByHash.TryGetValue(hash, out var number) && GetBlock(number) is { } recent)
        {
            return recent;
        }

        return History?.FindBlock(hash) is { } old && old.Number <= LatestBlockNumber ? old : null;
    }

    /// <summary>Nonce count of <paramref name="sender"/> in published blocks.</summary>
    public ulong GetLatestNonce(Address sender) => _latestNonces.TryGetValue(sender, out var next) ? next : 0;

    /// <summary>Every sender's nonce count in published blocks (for a checkpoint; see <see cref="Checkpoint"/>).</summary>
    public List<KeyValuePair<Address, ulong>> SnapshotLatestNonces() => [.. _latestNonces];

    /// <summary>The durable transactions of <paramref name="block"/>, in order.</summary>
    public int CopyTransactions(ChainBlock block, Span<SequencedTransaction> destination)
    {
        var end = Math.Min(block.FirstSequence + block.TransactionCount, DurableEnd);
        var count = (int)Math.Max(0, end - block.FirstSequence);
        count = Math.Min(count, destination.Length);
        for (var i = 0; i < count; i++)
        {
            destination[i] = GetTransaction(block.FirstSequence + i)!;
        }

        return count;
    }

    public int DurableTransactionCount(ChainBlock block) =>
        (int)Math.Clamp(DurableEnd - block.FirstSequence, 0, block.TransactionCount);

    // --- writes (core writer thread; recovery before it starts) ---

    /// <summary>Recovery only, before anything is added: the on-disk history, and where memory begins.</summary>
    public void Attach(HistoryIndex history, Checkpoint? checkpoint)
    {
        Volatile.Write(ref _history, history);
        if (checkpoint is not null)
        {
            _transactions.Reset(checkpoint.Position.Sequence);
            _blocks.Reset((long)checkpoint.LastBlock.Number + 1);
            // Sized for the table at once: growing one by one to some ten thousand senders costs a start tens of ms.
            var nonces = new ConcurrentDictionary<Address, ulong>(Environment.ProcessorCount, checkpoint.Nonces.Count + (checkpoint.Nonces.Count / 4) + 31);
            foreach (var (sender, next) in checkpoint.Nonces)
            {
                nonces[sender] = next;
            }

            _latestNonces = nonces;

            Volatile.Write(ref _durableEnd, checkpoint.Position.Sequence);
            Volatile.Write(ref _latest, checkpoint.LastBlock);
        }
    }

    /// <summary>
    /// Core writer only: the sequence number of a recent transaction (re-send check). Transactions older than memory
    /// are found with <see cref="GetTransaction(Hash32)"/>; the core asks only when the nonce is already used, since a
    /// transaction with an unused nonce cannot have been sequenced.
    /// </summary>
    public bool TryGetSequence(Hash32 hash, out long sequence) => _sequenceByHash.TryGetValue(hash, out sequence);

    /// <summary>Core writer only: unpublished transactions are reachable for de-duplication.</summary>
    public SequencedTransaction? GetSequenced(long sequence) => _transactions.Get(sequence) ?? History?.ReadTransaction(sequence);

    public void AddTransaction(SequencedTransaction transaction)
    {
        _transactions.Add(transaction);
        _sequenceByHash[transaction.Hash] = transaction.Sequence;
        var size = transaction.Raw.Length + HistoryChunkBuilder.OverheadBytes;
        Interlocked.Add(ref _bytes, size);
        Interlocked.Add(ref _unindexedBytes, size);
        Trim();
    }

    public void AddBlock(ChainBlock block)
    {
        _blocks.Add(block);
        Trim();
    }

    /// <summary>Recovery only.</summary>
    public void SetLatestNonce(Address sender, ulong next) => _latestNonces[sender] = next;

    /// <summary>Recovery only, at its end: counts what no chunk covers (replay added indexed records too).</summary>
    public void RecountUnindexed()
    {
        long bytes = 0;
        var from = Math.Max(_transactions.Start, History?.IndexedEnd ?? 0);
        for (var s = from; s < _transactions.End; s++)
        {
            bytes += _transactions.Get(s)!.Raw.Length + HistoryChunkBuilder.OverheadBytes;
        }

        Volatile.Write(ref _unindexedBytes, bytes);
    }

    /// <summary>The indexer wrote a chunk covering <paramref name="bytes"/> of transactions; memory may shrink.</summary>
    public void MarkIndexed(long bytes) => Interlocked.Add(ref _unindexedBytes, -bytes);

    /// <summary>Drops the oldest indexed items beyond the bounds (writer thread).</summary>
    private void Trim()
    {
        var history = History;
        if (history is null)
        {
            return;
        }

        var indexedEnd = history.IndexedEnd;
        while ((_transactions.Count > _bounds.MaxTransactions || Volatile.Read(ref _bytes) > _bounds.MaxBytes)
            && _transactions.Oldest is { } oldest && oldest.Sequence < indexedEnd)
        {
            _transactions.DropOldest();
            _sequenceByHash.TryRemove(new KeyValuePair<Hash32, long>(oldest.Hash, oldest.Sequence));
            Interlocked.Add(ref _bytes, -(oldest.Raw.Length + HistoryChunkBuilder.OverheadBytes));
        }

        var indexedBlocks = history.IndexedBlockEnd;
        while (_blocks.Count > _bounds.MaxBlocks && _blocks.Oldest is { } block && block.Number < indexedBlocks)
        {
            _blocks.DropOldest();
            _blockByHash.TryRemove(new KeyValuePair<Hash32, ulong>(block.Hash, block.Number));
        }
    }

    // --- publication (the log's flusher thread, in order) ---

    public void MarkDurable(long durableEnd) => Volatile.Write(ref _durableEnd, durableEnd);

    /// <summary>Makes a sealed block visible: its hash resolves, latest nonces move, waiters wake.</summary>
    /// <param name="block">The block.</param>
    /// <param name="moveNonces">False in recovery, which moves the latest nonces itself (<see cref="SetLatestNonce"/>).</param>
    public void PublishBlock(ChainBlock block, bool moveNonces = true)
    {
        for (var s = block.FirstSequence; moveNonces && s < block.FirstSequence + block.TransactionCount; s++)
        {
            var tx = _transactions.Get(s)!;
            _latestNonces[tx.Sender] = tx.Nonce + 1;
        }

        _blockByHash[block.Hash] = block.Number;
        Volatile.Write(ref _latest, block);
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
            raws[i] = (GetTransaction(block.FirstSequence + i) ?? throw new InvalidOperationException(
                $"transaction {block.FirstSequence + i} of block {number} is neither in memory nor in the history index")).Raw;
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
