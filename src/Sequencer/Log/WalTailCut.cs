using System.Globalization;
using System.Text;
using Primitives.Storage;

namespace Sequencer.Log;

/// <summary>What <see cref="WalTailCut.ApplyPending"/> did.</summary>
/// <param name="FromSequence">The first sequence cut.</param>
/// <param name="Epoch">The epoch of the leader whose records showed the tail was never acknowledged.</param>
/// <param name="Records">Records cut (0 when a crash after the cut left the request behind).</param>
/// <param name="MovedAside">The quarantine directory holding the cut bytes; null when nothing was cut.</param>
internal sealed record WalTailCutResult(long FromSequence, long Epoch, long Records, string? MovedAside);

/// <summary>
/// Cutting a deposed leader's unacknowledged tail (docs/replication.md, "Takeover"). A replica that finds the leader of a
/// newer epoch holding a different record at a sequence it holds itself, after an identical prefix, knows that its own
/// records from there on were never acknowledged by the set, so never confirmed. It cannot take them out of a running
/// core (they are in its chain, nonce book and blocks), so it records the cut here (<c>wal-cut-request</c> in the data
/// directory, written atomically) and stops; the next start cuts the log before it is replayed.
/// </summary>
/// <remarks>
/// The cut bytes are moved into <c>wal-cut-{time}-from-{sequence}</c> beside the log (for audit), never deleted. The
/// caller sets aside a checkpoint past the cut (the replay then starts from the beginning of the log); history chunks past
/// it are dropped by the replay as after any cut.
/// </remarks>
internal static class WalTailCut
{
    public const string FileName = "wal-cut-request";

    public static bool IsPending(string dataDirectory) => File.Exists(Path.Combine(dataDirectory, FileName));

    /// <summary>Records, durably, that the log must be cut from <paramref name="fromSequence"/> at the next start.</summary>
    public static void Request(string dataDirectory, long fromSequence, long epoch) =>
        AtomicFile.Write(Path.Combine(dataDirectory, FileName), Encoding.ASCII.GetBytes(
            fromSequence.ToString(CultureInfo.InvariantCulture) + " " + epoch.ToString(CultureInfo.InvariantCulture)));

    /// <summary>Cuts the log as requested, if a cut is pending; null if none is.</summary>
    /// <param name="dataDirectory">Where the request is.</param>
    /// <param name="walDirectory">The log.</param>
    /// <param name="beforeCut">Called with the first sequence to cut before anything is cut (again after a crash).</param>
    /// <exception cref="WalCorruptedException">The request file is unreadable, or the log does not read back up to the cut.</exception>
    public static WalTailCutResult? ApplyPending(string dataDirectory, string walDirectory, Action<long> beforeCut)
    {
        var request = Path.Combine(dataDirectory, FileName);
        if (!File.Exists(request))
        {
            return null;
        }

        var parts = File.ReadAllText(request).Split(' ');
        if (parts.Length != 2 || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var from)
            || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var epoch))
        {
            throw new WalCorruptedException($"{request} does not hold \"<sequence> <epoch>\"; remove it deliberately to start without the cut");
        }

        beforeCut(from);
        var result = Cut(walDirectory, from, epoch);
        File.Delete(request);
        DirectorySync.Flush(dataDirectory);
        return result;
    }

    private static WalTailCutResult Cut(string walDirectory, long from, long epoch)
    {
        Directory.CreateDirectory(walDirectory);
        var segments = WalSegments.List(walDirectory);
        var first = segments.FindLastIndex(s => s.FirstSequence <= from);
        if (first < 0 && segments.Count > 0)
        {
            first = 0;
        }

        if (first < 0)
        {
            return new WalTailCutResult(from, epoch, 0, null);
        }

        // Where record `from` starts, and how many records lie from there to the end of the log.
        long offset = -1;
        long records = 0;
        using (var reader = new WalSegmentReader(walDirectory, segments[first].FirstSequence, 0))
        {
            while (true)
            {
                var segment = reader.Segment;
                var at = reader.Offset;
                if (!reader.TryNext(out var header, out _))
                {
                    break;
                }

                if (header.Sequence >= from)
                {
                    if (offset < 0)
                    {
                        offset = reader.Segment == segment ? at : 0;
                        first = segments.FindIndex(s => s.FirstSequence == reader.Segment);
                    }

                    records++;
                }
            }
        }

        if (records == 0)
        {
            return new WalTailCutResult(from, epoch, 0, null);
        }

        var aside = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(walDirectory))!,
            "wal-cut-" + DateTime.UtcNow.ToString("yyyyMMddTHHmmssfffZ", CultureInfo.InvariantCulture) + "-from-" + from.ToString(CultureInfo.InvariantCulture));
        Directory.CreateDirectory(aside);
        var (_, path) = segments[first];
        using (var source = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read))
        using (var copy = new FileStream(Path.Combine(aside, Path.GetFileName(path) + ".from-" + offset.ToString(CultureInfo.InvariantCulture)), FileMode.CreateNew))
        {
            source.Position = offset;
            source.CopyTo(copy);
            copy.Flush(flushToDisk: true);
        }

        for (var later = first + 1; later < segments.Count; later++)
        {
            File.Move(segments[later].Path, Path.Combine(aside, Path.GetFileName(segments[later].Path)));
        }

        if (offset == 0)
        {
            File.Delete(path);
        }
        else
        {
            using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite);
            RandomAccess.SetLength(handle, offset);
            RandomAccess.FlushToDisk(handle);
        }

        DirectorySync.Flush(aside);
        DirectorySync.Flush(walDirectory);
        return new WalTailCutResult(from, epoch, records, aside);
    }
}
