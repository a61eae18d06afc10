using System.Buffers.Binary;
using Sequencer.Log;
using Primitives;
using Primitives.Storage;
using Sequencer.Chain;

namespace Sequencer.History;

/// <summary>
/// The state after a block boundary that the history index covers, so that a restart replays only the records after
/// it: where the next record is in the log, the last block (head and accumulator), and every sender's next nonce.
/// </summary>
/// <remarks>
/// File <c>checkpoint</c> in the history directory: <c>u32 magic | u32 version | i64 sequence | i64 segment | i64 offset |
/// i64 lastWriteEnd | block (176 bytes, as in a chunk) | i32 senders | senders × (address[20] u64 nextNonce) | u32 crc32c</c>,
/// replaced atomically. The nonce table may hold nonces of records after the position (it is read while blocks are
/// published); replaying those records sets the same values again, so the result is exact.
/// </remarks>
internal sealed record Checkpoint(LogPosition Position, ChainBlock LastBlock, IReadOnlyList<KeyValuePair<Address, ulong>> Nonces)
{
    public const string FileName = "checkpoint";
    private const uint Magic = 0x50435153; // "SQCP"
    private const uint Version = 1;
    private const int FixedBytes = 8 + 32 + BlockRecord.Bytes + 4;
    private const int NonceBytes = Address.Length + 8;

    public void Write(string directory, bool fsync)
    {
        var bytes = new byte[FixedBytes + Nonces.Count * NonceBytes + 4];
        var span = bytes.AsSpan();
        BinaryPrimitives.WriteUInt32LittleEndian(span, Magic);
        BinaryPrimitives.WriteUInt32LittleEndian(span[4..], Version);
        BinaryPrimitives.WriteInt64LittleEndian(span[8..], Position.Sequence);
        BinaryPrimitives.WriteInt64LittleEndian(span[16..], Position.Segment);
        BinaryPrimitives.WriteInt64LittleEndian(span[24..], Position.Offset);
        BinaryPrimitives.WriteInt64LittleEndian(span[32..], Position.LastWriteEnd);
        BlockRecord.Write(LastBlock, span.Slice(40, BlockRecord.Bytes));
        BinaryPrimitives.WriteInt32LittleEndian(span[(40 + BlockRecord.Bytes)..], Nonces.Count);
        var at = FixedBytes;
        foreach (var (address, next) in Nonces)
        {
            address.Bytes.CopyTo(span[at..]);
            BinaryPrimitives.WriteUInt64LittleEndian(span[(at + Address.Length)..], next);
            at += NonceBytes;
        }

        BinaryPrimitives.WriteUInt32LittleEndian(span[at..], Crc32C.Compute(span[..at]));
        AtomicFile.Write(Path.Combine(directory, FileName), bytes, fsync);
    }

    /// <summary>The checkpoint in <paramref name="directory"/>, or null with the reason when there is none or it does not read back.</summary>
    public static Checkpoint? TryRead(string directory, out string? problem)
    {
        problem = null;
        var path = Path.Combine(directory, FileName);
        if (!File.Exists(path))
        {
            return null;
        }

        var bytes = File.ReadAllBytes(path);
        var span = bytes.AsSpan();
        if (bytes.Length < FixedBytes + 4
            || BinaryPrimitives.ReadUInt32LittleEndian(span) != Magic
            || BinaryPrimitives.ReadUInt32LittleEndian(span[4..]) != Version)
        {
            problem = $"checkpoint {path} is not a checkpoint of this version";
            return null;
        }

        var count = BinaryPrimitives.ReadInt32LittleEndian(span[(40 + BlockRecord.Bytes)..]);
        if (count < 0 || (long)FixedBytes + (long)count * NonceBytes + 4 != bytes.Length
            || BinaryPrimitives.ReadUInt32LittleEndian(span[^4..]) != Crc32C.Compute(span[..^4]))
        {
            problem = $"checkpoint {path} is damaged (checksum)";
            return null;
        }

        var block = BlockRecord.Read(span.Slice(40, BlockRecord.Bytes));
        if (BlockHeader.ComputeHash(block) != block.Hash)
        {
            problem = $"checkpoint {path} holds a block that does not hash to its hash";
            return null;
        }

        var nonces = new KeyValuePair<Address, ulong>[count];
        for (var i = 0; i < count; i++)
        {
            var at = FixedBytes + i * NonceBytes;
            nonces[i] = new(new Address(span.Slice(at, Address.Length)), BinaryPrimitives.ReadUInt64LittleEndian(span[(at + Address.Length)..]));
        }

        var position = new LogPosition(
            BinaryPrimitives.ReadInt64LittleEndian(span[8..]),
            BinaryPrimitives.ReadInt64LittleEndian(span[16..]),
            BinaryPrimitives.ReadInt64LittleEndian(span[24..]),
            BinaryPrimitives.ReadInt64LittleEndian(span[32..]));
        if (position.Sequence != block.FirstSequence + block.TransactionCount)
        {
            problem = $"checkpoint {path}: position {position.Sequence} is not the end of block {block.Number}";
            return null;
        }

        return new Checkpoint(position, block, nonces);
    }
}
