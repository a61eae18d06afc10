using System.Buffers.Binary;
using Nethereum.RLP;
using ZstdSharp;

namespace Batcher.Tests.Format;

/// <summary>
/// A batch reader written from docs/batch-format.md alone: it uses none of the encoder's code,
/// only the zstd library and Nethereum's RLP encoder, to show that the document is enough.
/// </summary>
public static class DocumentedBatchReader
{
    public sealed record Header(ulong ChainId, ulong BatchIndex, ulong FirstBlock, ulong LastBlock, ulong FirstSequence,
        byte[] ParentAccumulator, byte[] EndAccumulator, byte Compression, byte Layout, uint BodyLength);

    public sealed record Block(ulong Number, ulong Timestamp, List<byte[]> Transactions);

    /// <summary>One consumed forced-queue entry of a version-2 batch ("Forced entries").</summary>
    public sealed record ForcedEntry(ulong QueueIndex, byte Outcome, ulong Sequence, ulong Position);

    public static (Header Header, List<Block> Blocks) Read(byte[] batch) => ReadWithForced(batch, out _);

    public static (Header Header, List<Block> Blocks) ReadWithForced(byte[] batch, out List<ForcedEntry> forced)
    {
        if (batch[0] != 0x52 || batch[1] != 0x42 || batch[2] != 0x41 || batch[3] != 0x54 || batch[4] is not (1 or 2))
        {
            throw new InvalidDataException("not a version 1 or 2 batch");
        }

        var header = new Header(U64(batch, 5), U64(batch, 13), U64(batch, 21), U64(batch, 29), U64(batch, 37),
            batch[45..77], batch[77..109], batch[109], batch[110], (uint)U32(batch, 112));
        var bodyAt = 116;
        forced = [];
        if (batch[4] == 2)
        {
            var from = U64(batch, 116);
            var count = U32(batch, 124);
            bodyAt = 128;
            for (var i = 0; i < count; i++)
            {
                forced.Add(new ForcedEntry(from + (ulong)i, batch[bodyAt], U64(batch, bodyAt + 1), U64(batch, bodyAt + 9)));
                bodyAt += 17;
            }
        }

        var compressed = batch[bodyAt..];
        var body = header.Compression switch
        {
            0 => compressed,
            1 => new Decompressor().Unwrap(compressed).ToArray(),
            2 => Brotli(compressed),
            _ => throw new InvalidDataException("compression " + header.Compression),
        };
        if (body.Length != header.BodyLength)
        {
            throw new InvalidDataException("body length");
        }

        var blockCount = (int)(header.LastBlock - header.FirstBlock + 1);
        return (header, header.Layout == 0 ? ReadPlain(body, header, blockCount) : ReadColumnar(body, header, blockCount));
    }

    private static List<Block> ReadPlain(byte[] body, Header header, int blockCount)
    {
        var at = 0;
        var blocks = new List<Block>();
        for (var b = 0; b < blockCount; b++)
        {
            var timestamp = U64(body, at);
            var count = U32(body, at + 8);
            at += 12;
            var txs = new List<byte[]>();
            for (var i = 0; i < count; i++)
            {
                var length = (int)U32(body, at);
                txs.Add(body[(at + 4)..(at + 4 + length)]);
                at += 4 + length;
            }

            blocks.Add(new Block(header.FirstBlock + (ulong)b, timestamp, txs));
        }

        if (at != body.Length)
        {
            throw new InvalidDataException("trailing bytes");
        }

        return blocks;
    }

    private static List<Block> ReadColumnar(byte[] body, Header header, int blockCount)
    {
        var sections = new Queue<byte>[16];
        var at = 0;
        for (var s = 0; s < 16; s++)
        {
            var length = (int)U32(body, at);
            sections[s] = new Queue<byte>(body[(at + 4)..(at + 4 + length)]);
            at += 4 + length;
        }

        if (at != body.Length)
        {
            throw new InvalidDataException("trailing bytes after section 15");
        }

        var dictionary = sections[9].ToArray();
        byte[] Address(long k) => dictionary[(int)((k - 1) * 20)..(int)(k * 20)];
        var blocks = new List<Block>();
        for (var b = 0; b < blockCount; b++)
        {
            var timestamp = (ulong)Number(sections[0], 8);
            var count = Number(sections[0], 4);
            var txs = new List<byte[]>();
            for (var i = 0; i < count; i++)
            {
                var kind = sections[1].Dequeue();
                if (kind == 0)
                {
                    txs.Add(Take(sections[2], (int)Number(sections[2], 4)));
                    continue;
                }

                var scalars = new[] { 3, 4, 5, 6, 7 }.Select(s => Scalar(sections[s])).ToList();
                var reference = Number(sections[8], 4);
                var to = reference == 0 ? [] : Address(reference);
                var value = Scalar(sections[10]);
                var data = CallData(sections[11], Address);
                var accessList = Take(sections[12], (int)Number(sections[12], 4));
                var tail = new[] { 13, 14, 15 }.Select(s => Scalar(sections[s])).ToList();
                var items = scalars.Select(RLP.EncodeElement)
                    .Append(RLP.EncodeElement(to)).Append(RLP.EncodeElement(value)).Append(RLP.EncodeElement(data)).Append(accessList)
                    .Concat(tail.Select(RLP.EncodeElement)).ToArray();
                txs.Add(new byte[] { 2 }.Concat(RLP.EncodeList(items)).ToArray());
            }

            blocks.Add(new Block(header.FirstBlock + (ulong)b, timestamp, txs));
        }

        if (sections.Any(s => s.Count != 0 && s != sections[9]))
        {
            throw new InvalidDataException("a section has entries left over");
        }

        return blocks;
    }

    private static byte[] CallData(Queue<byte> section, Func<long, byte[]> address)
    {
        var form = section.Dequeue();
        if (form == 0)
        {
            return Take(section, (int)Number(section, 4));
        }

        var data = new List<byte>(Take(section, 4));
        var words = section.Dequeue();
        for (var w = 0; w < words; w++)
        {
            var tag = section.Dequeue();
            var value = tag == 0xff ? address(Number(section, 4)) : Take(section, tag);
            data.AddRange(new byte[32 - value.Length]);
            data.AddRange(value);
        }

        return data.ToArray();
    }

    private static byte[] Scalar(Queue<byte> section) => Take(section, section.Dequeue());

    private static byte[] Take(Queue<byte> section, int count) => Enumerable.Range(0, count).Select(_ => section.Dequeue()).ToArray();

    private static long Number(Queue<byte> section, int size) => Take(section, size).Aggregate(0L, (v, b) => (v << 8) | b);

    private static ulong U64(byte[] data, int at) => BinaryPrimitives.ReadUInt64BigEndian(data.AsSpan(at));

    private static long U32(byte[] data, int at) => BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(at));

    private static byte[] Brotli(byte[] compressed)
    {
        using var input = new MemoryStream(compressed);
        using var brotli = new System.IO.Compression.BrotliStream(input, System.IO.Compression.CompressionMode.Decompress);
        using var output = new MemoryStream();
        brotli.CopyTo(output);
        return output.ToArray();
    }
}
