using System.Buffers.Binary;
using Sequencer.Log;

namespace Sequencer.Replication;

/// <summary>
/// Reads a follower's missing records from the leader's own write-ahead log on disk (docs/replication.md, "Catch-up"),
/// for a follower further behind than what its link still holds in memory: an empty replica, one that was down, one the
/// link stopped retaining for. The records go out exactly as the log stores them (the wire carries log payloads), with
/// the epochs they were written in. One reader per link, kept open between requests: reading on from where the last
/// request ended costs no re-scan of the segment.
/// </summary>
internal sealed class WalCatchUp(string walDirectory) : IDisposable
{
    private WalSegmentReader? _reader;
    private long _next = -1;

    /// <summary>
    /// The wire entries (<see cref="ReplicationWire"/>) of the records from <paramref name="from"/>, below
    /// <paramref name="until"/>, up to about <paramref name="maxBytes"/>; null when the log holds none of them yet.
    /// </summary>
    /// <exception cref="WalCorruptedException">The log does not read back there (a segment missing or damaged).</exception>
    public (byte[] Entries, int Count, long End)? Read(long from, long until, int maxBytes)
    {
        if (from >= until)
        {
            return null;
        }

        if (_reader is null || _next != from)
        {
            Open(from);
        }

        using var entries = new MemoryStream();
        Span<byte> length = stackalloc byte[4];
        var count = 0;
        var end = from;
        while (end < until && entries.Length < maxBytes && _reader!.TryNext(out var header, out var payload))
        {
            _next = header.Sequence + 1;
            if (header.Sequence < from)
            {
                continue;
            }

            BinaryPrimitives.WriteUInt32LittleEndian(length, (uint)payload.Length);
            entries.Write(length);
            entries.Write(payload);
            count++;
            end = header.Sequence + 1;
        }

        if (count == 0)
        {
            // The end of what the log held when the reader was opened: open again next time, the log has grown since.
            Close();
            return null;
        }

        return (entries.ToArray(), count, end);
    }

    public void Dispose() => Close();

    private void Open(long from)
    {
        Close();
        var segments = WalSegments.List(walDirectory);
        var segment = segments.FindLastIndex(s => s.FirstSequence <= from);
        if (segment < 0)
        {
            throw new WalCorruptedException($"write-ahead log: no segment holds sequence {from}");
        }

        _reader = new WalSegmentReader(walDirectory, segments[segment].FirstSequence, 0);
        _next = segments[segment].FirstSequence;
    }

    private void Close()
    {
        _reader?.Dispose();
        _reader = null;
        _next = -1;
    }
}
