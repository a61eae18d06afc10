using System.Text.Json;
using Primitives.Chain;
using Primitives;

namespace Sequencer.Execution;

/// <summary>
/// What both backends decide the same way: where the node's head stands relative to the block to execute, and
/// whether the transactions a node put in a block are the sealed block's, hash by hash, in order.
/// </summary>
internal static class ExecutedBlockCheck
{
    /// <summary>The sequencer block number the node's head stands for; a head below the offset is not this chain's node.</summary>
    public static ulong LastExecuted(ulong head, ulong blockOffset) =>
        head >= blockOffset
            ? head - blockOffset
            : throw new ExecutionDivergedException($"the execution node's head {head} is below the configured block offset {blockOffset}");

    /// <summary>
    /// True when the node already holds <paramref name="target"/> (the answer to an earlier attempt was lost:
    /// check it, never execute twice); false when its head is the block just before; otherwise the resume point moved.
    /// </summary>
    public static bool IsAlreadyExecuted(ulong head, ulong target, ulong sequencerNumber)
    {
        if (head >= target)
        {
            return true;
        }

        return head + 1 == target
            ? false
            : throw new ExecutionResumePointMovedException($"the execution node's head is {head}, expected {target - 1} before executing sequencer block {sequencerNumber}");
    }

    /// <summary>Throws <see cref="ExecutionDivergedException"/> unless <paramref name="block"/> (the node's block <paramref name="target"/>) holds exactly <paramref name="expected"/>.</summary>
    public static void Verify(JsonElement block, ReadOnlySpan<Hash32> expected, ulong target, ulong sequencerNumber)
    {
        if (block.ValueKind != JsonValueKind.Object)
        {
            throw new ExecutionResumePointMovedException($"the execution node has no block {target}");
        }

        if (Difference(block.GetProperty("transactions"u8), expected) is { } difference)
        {
            throw new ExecutionDivergedException($"execution block {target} does not match sequencer block {sequencerNumber}: {difference}");
        }
    }

    public static Hash32[] TransactionHashes(SealedBlock block)
    {
        var hashes = new Hash32[block.Transactions.Count];
        for (var i = 0; i < hashes.Length; i++)
        {
            hashes[i] = Keccak.Hash(block.Transactions[i].Span);
        }

        return hashes;
    }

    /// <summary>Null when <paramref name="transactions"/> (a JSON array of hashes) is exactly <paramref name="expected"/>; else what differs.</summary>
    public static string? Difference(JsonElement transactions, ReadOnlySpan<Hash32> expected)
    {
        if (transactions.ValueKind != JsonValueKind.Array)
        {
            return "the node's block has no transaction list";
        }

        var count = transactions.GetArrayLength();
        var i = 0;
        foreach (var item in transactions.EnumerateArray())
        {
            var text = item.ValueKind == JsonValueKind.String ? item.GetString()
                : item.ValueKind == JsonValueKind.Object && item.TryGetProperty("hash"u8, out var h) ? h.GetString() : null;
            if (!Hash32.TryParse(text, out var actual))
            {
                return $"transaction {i} of the node's block is not a hash";
            }

            if (i >= expected.Length)
            {
                return $"the node's block holds {count} transactions, the sealed block {expected.Length}";
            }

            if (actual != expected[i])
            {
                return $"transaction {i} is {actual} on the node but {expected[i]} in the sealed block";
            }

            i++;
        }

        return count == expected.Length ? null : $"the node's block holds {count} transactions, the sealed block {expected.Length}";
    }
}
