using System.Buffers;
using System.Buffers.Binary;
using Primitives.Chain;

namespace Batcher.Format;

/// <summary>
/// Body layout 0: for each block, u64 timestamp, u32 transaction count, then each transaction
/// as u32 length and its raw envelope.
/// </summary>
internal static class PlainBody
{
    public static void Write(IReadOnlyList<SealedBlock> blocks, IBufferWriter<byte> output)
    {
        foreach (var block in blocks)
        {
            var head = output.GetSpan(12);
            BinaryPrimitives.WriteUInt64BigEndian(head, block.Timestamp);
            BinaryPrimitives.WriteUInt32BigEndian(head[8..], (uint)block.Transactions.Count);
            output.Advance(12);
            foreach (var tx in block.Transactions)
            {
                var span = output.GetSpan(4 + tx.Length);
                BinaryPrimitives.WriteUInt32BigEndian(span, (uint)tx.Length);
                tx.Span.CopyTo(span[4..]);
                output.Advance(4 + tx.Length);
            }
        }
    }

    public static List<BatchBlock> Read(ReadOnlySpan<byte> body, BatchHeader header)
    {
        var cursor = new SpanCursor(body, "plain body");
        var blocks = new List<BatchBlock>((int)(header.LastBlock - header.FirstBlock + 1));
        for (var number = header.FirstBlock; number <= header.LastBlock; number++)
        {
            var timestamp = cursor.ReadUInt64();
            var count = cursor.ReadUInt32();
            if (count > body.Length)
            {
                throw new BatchFormatException($"plain body: block {number} declares {count} transactions, more than the body could hold");
            }

            var transactions = new byte[count][];
            for (var i = 0; i < transactions.Length; i++)
            {
                transactions[i] = cursor.ReadSized().ToArray();
            }

            blocks.Add(new BatchBlock(number, timestamp, transactions));
        }

        cursor.ExpectEnd();
        return blocks;
    }
}
