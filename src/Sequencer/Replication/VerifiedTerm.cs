using System.Globalization;
using Primitives.Storage;

namespace Sequencer.Replication;

/// <summary>
/// The newest term whose leader's log this replica's log is known to equal, and up to where (<c>replication-verified</c>
/// in the data directory, replaced with <see cref="AtomicFile"/>). Records keep the epoch they were first written in,
/// so a log whose last records a newer leader inherited and confirmed in its own term would rank by their old epoch at the
/// campaign gate, below a deposed leader of an epoch in between holding other records at those sequences (Raft's
/// "figure 8"; Raft writes a no-op entry of the new term instead). This label is raised, durably and before the
/// acknowledgement that lets those records be confirmed, by the leader when it wins (its log is its term's log) and by a
/// follower that took or found equal a leader's records up to its own end. It is written only when the label raises the
/// rank (the log's last record is of an older epoch): once a term's own records arrive, their epoch says as much.
/// </summary>
internal sealed class VerifiedTerm
{
    public const string FileName = "replication-verified";

    private readonly string _path;
    private readonly Lock _lock = new();
    private (long Epoch, long End) _label;

    public VerifiedTerm(string dataDirectory)
    {
        _path = Path.Combine(dataDirectory, FileName);
        if (File.Exists(_path))
        {
            var text = File.ReadAllText(_path).Trim();
            var parts = text.Split(' ');
            if (parts.Length != 2
                || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var epoch)
                || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var end))
            {
                throw new InvalidDataException($"{FileName} in the data directory does not hold an epoch and an end (\"{text}\"); restore it or remove it deliberately");
            }

            _label = (epoch, end);
        }
    }

    /// <summary>
    /// The epoch this replica's head ranks by: the epoch of its last record, or the label's when the label covers the log
    /// (its end is not past the log's: records after it came from the same or a newer term, whose epochs count anyway).
    /// </summary>
    public long RankEpoch(long lastRecordEpoch, long localDurableEnd)
    {
        lock (_lock)
        {
            return _label.End <= localDurableEnd ? Math.Max(lastRecordEpoch, _label.Epoch) : lastRecordEpoch;
        }
    }

    /// <summary>
    /// This replica's log up to <paramref name="end"/> (its whole durable log) is the log of the leader of
    /// <paramref name="epoch"/>: recorded durably when that raises the rank of a log whose last record is of
    /// <paramref name="lastRecordEpoch"/>.
    /// </summary>
    public void Raise(long epoch, long end, long lastRecordEpoch)
    {
        lock (_lock)
        {
            if (epoch <= lastRecordEpoch || (epoch, end).CompareTo(_label) <= 0)
            {
                return;
            }

            AtomicFile.Write(_path, System.Text.Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{epoch} {end}")));
            _label = (epoch, end);
        }
    }
}
