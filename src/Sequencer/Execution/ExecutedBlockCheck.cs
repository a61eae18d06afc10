using System.Text.Json;
using Primitives.Chain;
using Primitives;

namespace Sequencer.Execution;

/// <summary>Compares the transactions a node put in a block with the sealed block's, hash by hash, in order.</summary>
internal static class ExecutedBlockCheck
{
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
