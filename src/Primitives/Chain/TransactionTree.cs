using System.Buffers.Binary;

namespace Primitives.Chain;

/// <summary>
/// The Merkle tree a batch commits on L1 (docs/batch-format.md, "Transaction root"): one leaf per
/// transaction, keccak256(abi.encode(uint64 sequence, bytes32 txHash, bytes32 accumulator)), in
/// sequence order; a pair hashes as keccak256(left ‖ right) and a level's odd last node moves up
/// unchanged. BatchInbox.sol checks a path with the same rule, so a proof of one transaction is
/// ceil(log2 n) hashes and costs the contract a few thousand gas.
/// </summary>
public static class TransactionTree
{
    /// <summary>The leaf of one transaction: 96 bytes hashed, so it can never pass for a 64-byte inner node.</summary>
    public static Hash32 Leaf(ulong sequence, in Hash32 txHash, in Hash32 accumulator)
    {
        Span<byte> word = stackalloc byte[32];
        word.Clear();
        BinaryPrimitives.WriteUInt64BigEndian(word[24..], sequence);
        return Keccak.Hash(word, txHash.Bytes, accumulator.Bytes);
    }

    /// <summary>The leaves of consecutive transactions from <paramref name="firstSequence"/>, the accumulator running from <paramref name="parentAccumulator"/>.</summary>
    public static Hash32[] Leaves(ulong firstSequence, in Hash32 parentAccumulator, IEnumerable<ReadOnlyMemory<byte>> rawTransactions)
    {
        ArgumentNullException.ThrowIfNull(rawTransactions);
        var leaves = new List<Hash32>();
        var accumulator = parentAccumulator;
        var sequence = firstSequence;
        foreach (var raw in rawTransactions)
        {
            var txHash = Keccak.Hash(raw.Span);
            accumulator = Accumulator.Next(accumulator, txHash);
            leaves.Add(Leaf(sequence++, txHash, accumulator));
        }

        return [.. leaves];
    }

    /// <summary>The root over <paramref name="leaves"/>; 32 zero bytes for none.</summary>
    public static Hash32 Root(ReadOnlySpan<Hash32> leaves)
    {
        if (leaves.IsEmpty)
        {
            return Hash32.Zero;
        }

        var level = leaves.ToArray();
        var width = level.Length;
        while (width > 1)
        {
            var next = 0;
            for (var i = 0; i < width; i += 2)
            {
                level[next++] = i + 1 < width ? Keccak.Hash(level[i].Bytes, level[i + 1].Bytes) : level[i];
            }

            width = next;
        }

        return level[0];
    }

    /// <summary>The sibling path of the leaf at <paramref name="position"/>, bottom up.</summary>
    public static Hash32[] Path(ReadOnlySpan<Hash32> leaves, int position)
    {
        if ((uint)position >= (uint)leaves.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(position), position, $"the tree has {leaves.Length} leaves");
        }

        var path = new List<Hash32>();
        var level = leaves.ToArray();
        var width = level.Length;
        while (width > 1)
        {
            var sibling = position ^ 1;
            if (sibling < width)
            {
                path.Add(level[sibling]);
            }

            var next = 0;
            for (var i = 0; i < width; i += 2)
            {
                level[next++] = i + 1 < width ? Keccak.Hash(level[i].Bytes, level[i + 1].Bytes) : level[i];
            }

            width = next;
            position >>= 1;
        }

        return [.. path];
    }

    /// <summary>The root a path leads to (the contract's check, for <c>verify</c> and tests).</summary>
    public static Hash32 RootFrom(Hash32 leaf, int position, int width, ReadOnlySpan<Hash32> path)
    {
        var used = 0;
        while (width > 1)
        {
            if ((position & 1) == 1 || position + 1 < width)
            {
                if (used == path.Length)
                {
                    throw new ArgumentException("the path is too short for the tree", nameof(path));
                }

                var sibling = path[used++];
                leaf = (position & 1) == 1 ? Keccak.Hash(sibling.Bytes, leaf.Bytes) : Keccak.Hash(leaf.Bytes, sibling.Bytes);
            }

            position >>= 1;
            width = (width + 1) >> 1;
        }

        return used == path.Length ? leaf : throw new ArgumentException("the path is longer than the tree", nameof(path));
    }
}
