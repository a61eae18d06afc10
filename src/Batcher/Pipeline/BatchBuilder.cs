using Batcher.Format;
using DaClient;
using Primitives;
using Primitives.Chain;

namespace Batcher.Pipeline;

/// <summary>
/// Pulls sealed blocks from the source and closes a batch when the next block would push its
/// raw transactions past the size bound, or when its first block with transactions has waited the maximum age.
/// Choosing the blocks (<see cref="CollectAsync"/>) is cheap and must go in order; encoding
/// (<see cref="Encode"/>) is the expensive part and can run for several batches at once.
/// </summary>
public sealed class BatchBuilder(ISealedBlockSource source, BatchEncoder? encoder, TimeProvider time, IForcedInclusionSource? forced = null)
{
    private const int BlockOverhead = 12;

    /// <summary>A builder that only collects; its caller encodes with encoders of its own.</summary>
    public BatchBuilder(ISealedBlockSource source, TimeProvider time, IForcedInclusionSource? forced = null)
        : this(source, null, time, forced)
    {
    }

    /// <summary>
    /// The forced-queue entries the collected batch consumes: from <paramref name="forcedFrom"/> (the previous batch's
    /// end), in queue order, every entry judged at a position up to the batch's end sequence whose transaction, if
    /// included, is in the batch (docs/batch-format.md, "Forced entries").
    /// Without a forced-inclusion source (L1 posting off) a batch consumes none.
    /// </summary>
    public async Task<BatchContents> WithForcedAsync(BatchContents contents, ulong forcedFrom, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(contents);
        if (forced is null)
        {
            return contents with { ForcedFrom = forcedFrom };
        }

        var end = contents.NextSequence;
        var decided = await forced.DecidedBeforeAsync(end + 1, cancellationToken).ConfigureAwait(false);
        var consumed = new List<ForcedInclusionDecision>();
        for (var i = forcedFrom; i < (ulong)decided.Count; i++)
        {
            // An entry included at the batch's end sequence is the next batch's first transaction: it waits for that
            // batch, and so does every entry after it (queue order).
            var decision = decided[(int)i];
            if (decision.IsIncluded && decision.Sequence >= end)
            {
                break;
            }

            consumed.Add(decision);
        }

        return contents with { ForcedFrom = forcedFrom, Forced = consumed };
    }

    /// <summary>The same forced entries a batch made before stated, to build it again.</summary>
    public BatchContents WithForced(BatchContents contents, ulong forcedFrom, ulong forcedThrough) =>
        forced is null || forcedThrough <= forcedFrom
            ? contents with { ForcedFrom = forcedFrom }
            : contents with { ForcedFrom = forcedFrom, Forced = forced.Decided(forcedFrom, forcedThrough) };

    /// <summary>Collects and encodes one batch with this builder's encoder.</summary>
    public async Task<BuiltBatch> BuildAsync(
        ulong chainId, ulong batchIndex, ulong firstBlock, ulong firstSequence, byte[] parentAccumulator,
        int maxRawBytes, TimeSpan maxAge, CancellationToken cancellationToken)
    {
        var contents = await CollectAsync(batchIndex, firstBlock, firstSequence, parentAccumulator, maxRawBytes, maxAge, cancellationToken)
            .ConfigureAwait(false);
        return Encode(encoder ?? throw new InvalidOperationException("this builder was made without an encoder"), chainId, contents);
    }

    /// <summary>Takes the blocks of one batch, waiting for blocks to be sealed until the size bound or the maximum age closes it.</summary>
    public async Task<BatchContents> CollectAsync(
        ulong batchIndex, ulong firstBlock, ulong firstSequence, byte[] parentAccumulator,
        int maxRawBytes, TimeSpan maxAge, CancellationToken cancellationToken)
    {
        var blocks = new List<SealedBlock>();
        long rawBytes = 0;
        var transactions = 0;
        DateTimeOffset? deadline = null;
        while (true)
        {
            if (deadline is { } due && time.GetUtcNow() >= due)
            {
                break;
            }

            var number = firstBlock + (ulong)blocks.Count;
            var block = source.GetSealedBlock(number);
            if (block is null)
            {
                await WaitAsync(number, deadline, cancellationToken).ConfigureAwait(false);
                continue;
            }

            var expectedSequence = blocks.Count == 0 ? firstSequence : blocks[^1].FirstSequence + (ulong)blocks[^1].Transactions.Count;
            if (block.FirstSequence != expectedSequence)
            {
                throw new InvalidOperationException(
                    $"sealed block {number} starts at sequence {block.FirstSequence}, but the batcher expected {expectedSequence}: its checkpoint does not match the chain");
            }

            var size = RawSize(block);
            if (blocks.Count > 0 && rawBytes + size > maxRawBytes)
            {
                break;
            }

            blocks.Add(block);
            rawBytes += size;
            transactions += block.Transactions.Count;
            // The age bound starts at the first block with transactions: empty blocks (an idle chain's) wait in the
            // batch until a transaction comes or the size bound closes it, so an idle chain does not post every
            // MaxBatchAgeMs (docs/batch-format.md, "Empty blocks").
            if (block.Transactions.Count > 0)
            {
                deadline ??= time.GetUtcNow() + maxAge;
            }

            if (rawBytes >= maxRawBytes)
            {
                break;
            }
        }

        return new BatchContents(batchIndex, blocks, firstSequence, parentAccumulator, rawBytes, transactions);
    }

    /// <summary>
    /// The blocks of a batch made before, <paramref name="firstBlock"/> to <paramref name="lastBlock"/> (all sealed
    /// already): encoded again with the same settings they give the same bytes, to post a batch L1 lost.
    /// </summary>
    public BatchContents CollectRange(ulong batchIndex, ulong firstBlock, ulong lastBlock)
    {
        ReadOnlyMemory<byte> parentAccumulator = new byte[32];
        if (firstBlock > 1)
        {
            parentAccumulator = Sealed(firstBlock - 1).Accumulator;
        }

        var blocks = new List<SealedBlock>();
        long rawBytes = 0;
        var transactions = 0;
        for (var number = firstBlock; number <= lastBlock; number++)
        {
            var block = Sealed(number);
            blocks.Add(block);
            rawBytes += RawSize(block);
            transactions += block.Transactions.Count;
        }

        return new BatchContents(batchIndex, blocks, blocks[0].FirstSequence, parentAccumulator.ToArray(), rawBytes, transactions);
    }

    private SealedBlock Sealed(ulong number) =>
        source.GetSealedBlock(number) ?? throw new InvalidOperationException($"block {number} is in a batch the batcher made, but the chain has not sealed it");

    private static long RawSize(SealedBlock block)
    {
        long size = BlockOverhead;
        foreach (var tx in block.Transactions)
        {
            size += 4 + tx.Length;
        }

        return size;
    }

    /// <summary>
    /// Encodes and hashes one batch. The hash is computed here, once, and travels with the bytes: the L1 post
    /// needs it and a content-addressed DA store takes it instead of hashing the batch again.
    /// </summary>
    public static BuiltBatch Encode(BatchEncoder encoder, ulong chainId, BatchContents contents)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        ArgumentNullException.ThrowIfNull(contents);
        var bytes = encoder.Encode(chainId, contents.Index, contents.Blocks, contents.ParentAccumulator, ForcedSectionOf(contents));

        // BouncyCastle's Keccak rather than Nethereum's: faster on batch-sized inputs (docs/benchmarks-batch.md).
        return new BuiltBatch(contents.Index, contents.FirstBlock, contents.LastBlock, contents.NextSequence, bytes,
            DaCommitment.Keccak256(bytes), contents.EndAccumulator, contents.RawBytes, contents.TransactionCount, TxRoot(contents),
            contents.ForcedFrom, contents.ForcedThrough);
    }

    private static ForcedSection? ForcedSectionOf(BatchContents contents)
    {
        if (contents.Forced.Count == 0)
        {
            return null;
        }

        var entries = new ForcedSectionEntry[contents.Forced.Count];
        for (var i = 0; i < entries.Length; i++)
        {
            var decision = contents.Forced[i];
            entries[i] = new ForcedSectionEntry(decision.Outcome, decision.Sequence, decision.Position);
        }

        return new ForcedSection(contents.ForcedFrom, entries);
    }

    private static byte[] TxRoot(BatchContents contents)
    {
        var transactions = new List<ReadOnlyMemory<byte>>(contents.TransactionCount);
        foreach (var block in contents.Blocks)
        {
            transactions.AddRange(block.Transactions);
        }

        return TransactionTree.Root(TransactionTree.Leaves(contents.FirstSequence, new Hash32(contents.ParentAccumulator), transactions)).ToArray();
    }

    private async Task WaitAsync(ulong number, DateTimeOffset? deadline, CancellationToken cancellationToken)
    {
        if (deadline is null)
        {
            await source.WaitForSealedBlockAsync(number, cancellationToken).ConfigureAwait(false);
            return;
        }

        var remaining = deadline.Value - time.GetUtcNow();
        if (remaining <= TimeSpan.Zero)
        {
            return;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(remaining);
        try
        {
            await source.WaitForSealedBlockAsync(number, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The batch is old enough: close it with what it has.
        }
    }
}
