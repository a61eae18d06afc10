using Batcher.Format;
using Batcher.Input;
using Nethereum.Util;

namespace Batcher.Pipeline;

/// <summary>
/// Pulls sealed blocks from the source and closes a batch when the next block would push its
/// raw transactions past the size bound, or when its first block has waited the maximum age.
/// </summary>
public sealed class BatchBuilder(ISealedBlockSource source, BatchEncoder encoder, TimeProvider time)
{
    private const int BlockOverhead = 12;

    public async Task<BuiltBatch> BuildAsync(
        ulong chainId, ulong batchIndex, ulong firstBlock, ulong firstSequence, byte[] parentAccumulator,
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

            long size = BlockOverhead;
            foreach (var tx in block.Transactions)
            {
                size += 4 + tx.Length;
            }

            if (blocks.Count > 0 && rawBytes + size > maxRawBytes)
            {
                break;
            }

            blocks.Add(block);
            rawBytes += size;
            transactions += block.Transactions.Count;
            deadline ??= time.GetUtcNow() + maxAge;
            if (rawBytes >= maxRawBytes)
            {
                break;
            }
        }

        var bytes = encoder.Encode(chainId, batchIndex, blocks, parentAccumulator);
        return new BuiltBatch(batchIndex, blocks[0].Number, blocks[^1].Number, firstSequence + (ulong)transactions, bytes,
            Sha3Keccack.Current.CalculateHash(bytes), blocks[^1].Accumulator.ToArray(), rawBytes, transactions);
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
