using Nethereum.RLP;
using Primitives;

namespace Sequencer.Sequencing;

/// <summary>
/// The block hash: keccak256 of the RLP list of the header fields, in the order docs/rpc.md gives.
/// Runs once per block, so Nethereum's RLP encoder is used as is.
/// </summary>
internal static class BlockHeader
{
    public static Hash32 ComputeHash(ChainBlock block)
    {
        var encoded = RLP.EncodeList(
            RLP.EncodeElement(block.ParentHash.ToArray()),
            EncodeInteger(block.Number),
            EncodeInteger(block.Timestamp),
            EncodeInteger((ulong)block.FirstSequence),
            EncodeInteger((ulong)block.TransactionCount),
            RLP.EncodeElement(block.TransactionsHash.ToArray()),
            RLP.EncodeElement(block.Accumulator.ToArray()),
            EncodeInteger(block.GasLimit),
            EncodeInteger(block.GasUsed));
        return Keccak.Hash(encoded);
    }

    /// <summary>keccak256 of the concatenated transaction hashes (keccak256 of nothing for an empty block).</summary>
    public static Hash32 ComputeTransactionsHash(ReadOnlySpan<Hash32> transactionHashes)
    {
        var buffer = new byte[transactionHashes.Length * Hash32.Length];
        for (var i = 0; i < transactionHashes.Length; i++)
        {
            transactionHashes[i].CopyTo(buffer.AsSpan(i * Hash32.Length));
        }

        return Keccak.Hash(buffer);
    }

    // RLP integers are big-endian without leading zeros; zero is the empty string.
    private static byte[] EncodeInteger(ulong value)
    {
        if (value == 0)
        {
            return RLP.EncodeElement([]);
        }

        Span<byte> buffer = stackalloc byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(buffer, value);
        var start = 0;
        while (buffer[start] == 0)
        {
            start++;
        }

        return RLP.EncodeElement(buffer[start..].ToArray());
    }
}
