using System.Buffers.Binary;

namespace Batcher.Format;

/// <summary>
/// The fixed 116-byte header of a batch. All integers big-endian.
/// </summary>
/// <param name="ChainId">L2 chain id.</param>
/// <param name="BatchIndex">Position of the batch in the inbox, from 0.</param>
/// <param name="FirstBlock">First block in the batch.</param>
/// <param name="LastBlock">Last block in the batch (inclusive).</param>
/// <param name="FirstSequence">Sequence number of the first transaction of <paramref name="FirstBlock"/>.</param>
/// <param name="ParentAccumulator">Accumulator before the batch's first transaction.</param>
/// <param name="EndAccumulator">Accumulator after the batch's last transaction.</param>
/// <param name="Compression">Compression of the body.</param>
/// <param name="Layout">Layout of the uncompressed body.</param>
/// <param name="BodyLength">Length of the uncompressed body.</param>
public sealed record BatchHeader(
    ulong ChainId,
    ulong BatchIndex,
    ulong FirstBlock,
    ulong LastBlock,
    ulong FirstSequence,
    ReadOnlyMemory<byte> ParentAccumulator,
    ReadOnlyMemory<byte> EndAccumulator,
    BodyCompression Compression,
    BodyLayout Layout,
    uint BodyLength)
{
    /// <summary>1, or 2 when a forced-entry section follows the header.</summary>
    public byte Version { get; init; } = BatchFormat.Version1;

    public void Write(Span<byte> destination)
    {
        BatchFormat.Magic.CopyTo(destination);
        destination[4] = Version;
        BinaryPrimitives.WriteUInt64BigEndian(destination[5..], ChainId);
        BinaryPrimitives.WriteUInt64BigEndian(destination[13..], BatchIndex);
        BinaryPrimitives.WriteUInt64BigEndian(destination[21..], FirstBlock);
        BinaryPrimitives.WriteUInt64BigEndian(destination[29..], LastBlock);
        BinaryPrimitives.WriteUInt64BigEndian(destination[37..], FirstSequence);
        ParentAccumulator.Span.CopyTo(destination[45..]);
        EndAccumulator.Span.CopyTo(destination[77..]);
        destination[109] = (byte)Compression;
        destination[110] = (byte)Layout;
        destination[111] = 0;
        BinaryPrimitives.WriteUInt32BigEndian(destination[112..], BodyLength);
    }

    public static BatchHeader Read(ReadOnlySpan<byte> batch)
    {
        if (batch.Length < BatchFormat.HeaderLength)
        {
            throw new BatchFormatException($"batch is {batch.Length} bytes, shorter than the {BatchFormat.HeaderLength}-byte header");
        }

        if (!batch[..4].SequenceEqual(BatchFormat.Magic))
        {
            throw new BatchFormatException($"batch does not start with the magic \"RBAT\" (got 0x{Convert.ToHexStringLower(batch[..4])})");
        }

        if (batch[4] is not (BatchFormat.Version1 or BatchFormat.Version2))
        {
            throw new BatchFormatException($"unsupported batch version {batch[4]}; this reader knows versions {BatchFormat.Version1} and {BatchFormat.Version2}");
        }

        var compression = (BodyCompression)batch[109];
        if (!Enum.IsDefined(compression))
        {
            throw new BatchFormatException($"unknown compression id {batch[109]} at byte 109");
        }

        var layout = (BodyLayout)batch[110];
        if (!Enum.IsDefined(layout))
        {
            throw new BatchFormatException($"unknown body layout {batch[110]} at byte 110");
        }

        if (batch[111] != 0)
        {
            throw new BatchFormatException($"reserved byte 111 must be 0, got {batch[111]}");
        }

        var header = new BatchHeader(
            BinaryPrimitives.ReadUInt64BigEndian(batch[5..]),
            BinaryPrimitives.ReadUInt64BigEndian(batch[13..]),
            BinaryPrimitives.ReadUInt64BigEndian(batch[21..]),
            BinaryPrimitives.ReadUInt64BigEndian(batch[29..]),
            BinaryPrimitives.ReadUInt64BigEndian(batch[37..]),
            batch.Slice(45, 32).ToArray(),
            batch.Slice(77, 32).ToArray(),
            compression,
            layout,
            BinaryPrimitives.ReadUInt32BigEndian(batch[112..])) { Version = batch[4] };
        if (header.LastBlock < header.FirstBlock)
        {
            throw new BatchFormatException($"last block {header.LastBlock} is before first block {header.FirstBlock}");
        }

        if (header.LastBlock - header.FirstBlock >= int.MaxValue || header.BodyLength > BatchFormat.MaxBodyLength)
        {
            throw new BatchFormatException($"batch declares {header.LastBlock - header.FirstBlock + 1} blocks and a {header.BodyLength}-byte body, beyond the format's bounds");
        }

        return header;
    }
}
