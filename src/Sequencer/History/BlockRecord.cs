using System.Buffers.Binary;
using Primitives;
using Sequencer.Chain;

namespace Sequencer.History;

/// <summary>
/// A sealed block's header as a fixed 176-byte record (little-endian): number, timestamp, first sequence,
/// transaction count, gas used, gas limit, then parent hash, accumulator, transactions hash and block hash. History
/// chunks and the checkpoint store blocks in this form.
/// </summary>
internal static class BlockRecord
{
    public const int Bytes = 176;

    public static void Write(ChainBlock block, Span<byte> record)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(record, block.Number);
        BinaryPrimitives.WriteUInt64LittleEndian(record[8..], block.Timestamp);
        BinaryPrimitives.WriteInt64LittleEndian(record[16..], block.FirstSequence);
        BinaryPrimitives.WriteInt32LittleEndian(record[24..], block.TransactionCount);
        BinaryPrimitives.WriteUInt64LittleEndian(record[32..], block.GasUsed);
        BinaryPrimitives.WriteUInt64LittleEndian(record[40..], block.GasLimit);
        block.ParentHash.CopyTo(record[48..]);
        block.Accumulator.CopyTo(record[80..]);
        block.TransactionsHash.CopyTo(record[112..]);
        block.Hash.CopyTo(record[144..]);
    }

    public static ChainBlock Read(ReadOnlySpan<byte> record) =>
        new(BinaryPrimitives.ReadUInt64LittleEndian(record), BinaryPrimitives.ReadUInt64LittleEndian(record[8..]),
            new Hash32(record.Slice(48, 32)), BinaryPrimitives.ReadInt64LittleEndian(record[16..]))
        {
            TransactionCount = BinaryPrimitives.ReadInt32LittleEndian(record[24..]),
            GasUsed = BinaryPrimitives.ReadUInt64LittleEndian(record[32..]),
            GasLimit = BinaryPrimitives.ReadUInt64LittleEndian(record[40..]),
            Accumulator = new Hash32(record.Slice(80, 32)),
            TransactionsHash = new Hash32(record.Slice(112, 32)),
            Hash = new Hash32(record.Slice(144, 32)),
            IsSealed = true,
        };
}
