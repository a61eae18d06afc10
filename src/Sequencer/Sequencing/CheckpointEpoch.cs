using Sequencer.Log;

namespace Sequencer.Sequencing;

/// <summary>
/// The epoch of the last record before a checkpoint, read back from the write-ahead log. A replay from a checkpoint sees
/// only the records after it, so without this a replica whose records all lie before its checkpoint would report the epoch
/// of its last record as 0: its campaign gate ranks heads by that epoch (docs/replication.md, "Who may campaign"), and a
/// replica holding a newer epoch's confirmed records would rank below a stale one.
/// </summary>
internal static class CheckpointEpoch
{
    /// <summary>The epoch of the record at <paramref name="sequence"/> (0 when the log does not hold it: a single node's log or an empty one).</summary>
    public static long Of(string walDirectory, long sequence)
    {
        if (sequence < 0)
        {
            return 0;
        }

        var segments = WalSegments.List(walDirectory);
        var segment = segments.FindLastIndex(s => s.FirstSequence <= sequence);
        if (segment < 0)
        {
            return 0;
        }

        // Records are read from the start of their segment: frames are found one after another (a replica's start only).
        using var reader = new WalSegmentReader(walDirectory, segments[segment].FirstSequence, 0);
        while (reader.TryNext(out var header, out var payload))
        {
            if (header.Sequence == sequence)
            {
                return TxLogRecord.TryRead(payload, out var record, out _) ? record.Epoch : 0;
            }

            if (header.Sequence > sequence)
            {
                break;
            }
        }

        return 0;
    }
}
