using Primitives.Chain;

namespace Primitives.Tests.Chain;

public sealed class TransactionTreeTests
{
    [Fact]
    public void Every_leaf_of_every_tree_size_walks_its_path_to_the_root()
    {
        for (var size = 1; size <= 33; size++)
        {
            var leaves = Leaves(size);
            var root = TransactionTree.Root(leaves);
            for (var position = 0; position < size; position++)
            {
                var path = TransactionTree.Path(leaves, position);
                Assert.Equal(root, TransactionTree.RootFrom(leaves[position], position, size, path));
                Assert.True(path.Length <= 6, $"a path of {path.Length} hashes in a tree of {size}");
            }
        }
    }

    [Fact]
    public void A_leaf_at_another_position_or_another_leaf_does_not_reach_the_root()
    {
        var leaves = Leaves(7);
        var root = TransactionTree.Root(leaves);
        var path = TransactionTree.Path(leaves, 2);

        Assert.NotEqual(root, TransactionTree.RootFrom(leaves[2], 3, 7, path));
        Assert.NotEqual(root, TransactionTree.RootFrom(leaves[3], 2, 7, path));
    }

    [Fact]
    public void Pairs_hash_left_then_right_and_an_odd_last_node_moves_up_unchanged()
    {
        var leaves = Leaves(3);
        var left = Keccak.Hash(leaves[0].Bytes, leaves[1].Bytes);

        Assert.Equal(Keccak.Hash(left.Bytes, leaves[2].Bytes), TransactionTree.Root(leaves));
        Assert.Equal(leaves[0], TransactionTree.Root(leaves.AsSpan(0, 1)));
        Assert.Equal(Hash32.Zero, TransactionTree.Root([]));
    }

    [Fact]
    public void A_leaf_is_keccak_of_the_abi_encoded_sequence_hash_and_accumulator()
    {
        var txHash = Keccak.Hash([1]);
        var accumulator = Keccak.Hash([2]);
        var encoded = new byte[96];
        encoded[31] = 0x2a;
        txHash.CopyTo(encoded.AsSpan(32));
        accumulator.CopyTo(encoded.AsSpan(64));

        Assert.Equal(Keccak.Hash(encoded), TransactionTree.Leaf(42, txHash, accumulator));
    }

    [Fact]
    public void Leaves_run_the_accumulator_from_the_parent()
    {
        var parent = Keccak.Hash([9]);
        ReadOnlyMemory<byte>[] raws = [new byte[] { 1 }, new byte[] { 2 }];

        var leaves = TransactionTree.Leaves(10, parent, raws);

        var first = Accumulator.Next(parent, raws[0].Span);
        Assert.Equal(TransactionTree.Leaf(10, Keccak.Hash(raws[0].Span), first), leaves[0]);
        Assert.Equal(TransactionTree.Leaf(11, Keccak.Hash(raws[1].Span), Accumulator.Next(first, raws[1].Span)), leaves[1]);
    }

    private static Hash32[] Leaves(int count) =>
        Enumerable.Range(0, count).Select(i => TransactionTree.Leaf((ulong)i, Keccak.Hash([(byte)i]), Keccak.Hash([(byte)(i + 100)]))).ToArray();
}
