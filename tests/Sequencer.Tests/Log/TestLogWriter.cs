using Sequencer.Log;
using Primitives;

namespace Sequencer.Tests.Log;

/// <summary>
/// Writes write-ahead logs for tests: through the real <see cref="WriteAheadLog"/> (one group-commit write per group,
/// each waited for, so every record in them counts as confirmed), or framed and sealed the same way as one write placed
/// by hand (a write whose fsync never returned, or a log the real writer would refuse to produce).
/// </summary>
internal static class TestLogWriter
{
    public static TxLogRecord RecordFor(long sequence) =>
        new(sequence, 1, (uint)sequence, 1_700_000_000, (ulong)sequence, 21_000, new Address(new byte[20]), Hash32.FromUInt64((ulong)sequence));

    /// <summary>A raw transaction stand-in of <paramref name="length"/> random non-zero bytes (real ones have no long zero runs either).</summary>
    public static byte[] RandomRaw(Random random, int length)
    {
        var raw = new byte[length];
        for (var i = 0; i < raw.Length; i++)
        {
            raw[i] = (byte)random.Next(1, 256);
        }

        return raw;
    }

    /// <summary>Appends <paramref name="raws"/> (sequences from <paramref name="firstSequence"/>) in groups, waiting for each group's fsync.</summary>
    public static void WriteThroughLog(string directory, long segmentBytes, long firstSequence, IReadOnlyList<byte[]> raws, Func<int> nextGroupSize)
    {
        Exception? failure = null;
        using var log = new WriteAheadLog(directory, segmentBytes, fsync: false, firstSequence, _ => { }, ex => failure = ex);
        var sequence = firstSequence;
        while (sequence < firstSequence + raws.Count)
        {
            var end = Math.Min(firstSequence + raws.Count, sequence + nextGroupSize());
            for (; sequence < end; sequence++)
            {
                log.Append(RecordFor(sequence), raws[(int)(sequence - firstSequence)]);
            }

            log.Commit();
            if (!SpinWait.SpinUntil(() => log.DurableEndSequence >= end || failure is not null, TimeSpan.FromSeconds(30)) || failure is not null)
            {
                throw new InvalidOperationException($"log never made sequence {end - 1} durable", failure);
            }
        }
    }

    /// <summary>The bytes of one write holding <paramref name="raws"/>, sealed for a segment offset of <paramref name="writeStart"/>.</summary>
    public static byte[] FrameWrite(long firstSequence, IReadOnlyList<byte[]> raws, long writeStart)
    {
        var bytes = new byte[raws.Sum(raw => TxLogRecord.FramedLength(raw.Length))];
        var offset = 0;
        for (var i = 0; i < raws.Count; i++)
        {
            var length = TxLogRecord.FramedLength(raws[i].Length);
            RecordFor(firstSequence + i).WriteFramed(raws[i], bytes.AsSpan(offset, length));
            offset += length;
        }

        WalFrame.Seal(bytes, writeStart + bytes.Length);
        return bytes;
    }
}
