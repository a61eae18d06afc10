using Primitives;
using Primitives.Rlp;

namespace Sequencer.Chain;

/// <summary>
/// The block hash: keccak256 of the RLP list of the header fields, in the order docs/rpc.md gives.
/// </summary>
internal static class BlockHeader
{
    // Three 32-byte strings (33 bytes each) and six integers (at most 9 bytes each), under a list header.
    private const int MaxEncodedLength = RlpWriter.MaxHeaderLength + 3 * 33 + 6 * 9;

    public static Hash32 ComputeHash(ChainBlock block)
    {
        Span<byte> fields = stackalloc byte[MaxEncodedLength];
        var length = WriteHash(fields, block.ParentHash);
        length += RlpWriter.WriteUInt64(fields[length..], block.Number);
        length += RlpWriter.WriteUInt64(fields[length..], block.Timestamp);
        length += RlpWriter.WriteUInt64(fields[length..], (ulong)block.FirstSequence);
        length += RlpWriter.WriteUInt64(fields[length..], (ulong)block.TransactionCount);
        length += WriteHash(fields[length..], block.TransactionsHash);
        length += WriteHash(fields[length..], block.Accumulator);
        length += RlpWriter.WriteUInt64(fields[length..], block.GasLimit);
        length += RlpWriter.WriteUInt64(fields[length..], block.GasUsed);

        Span<byte> header = stackalloc byte[RlpWriter.MaxHeaderLength];
        var headerLength = RlpWriter.WriteListHeader(header, length);
        return Keccak.Hash(header[..headerLength], fields[..length]);
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

    private static int WriteHash(Span<byte> destination, in Hash32 hash) => RlpWriter.WriteString(destination, hash.Bytes);
}
