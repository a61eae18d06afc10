using System.Globalization;
using Primitives.Storage;

namespace Sequencer.Replication;

/// <summary>
/// The highest epoch this replica has accepted records of, kept on disk (<c>replication-epoch</c> in the data directory,
/// replaced with <see cref="AtomicFile"/>) before any record of that epoch is appended. Records of a lower epoch
/// are refused from then on, also after a restart: a deposed leader can get no acknowledgement from this replica, so it
/// can confirm nothing (docs/replication.md, "Followers refuse older epochs").
/// </summary>
internal sealed class EpochFence
{
    public const string FileName = "replication-epoch";

    private readonly string _path;
    private readonly Lock _lock = new();
    private long _highest;

    public EpochFence(string dataDirectory)
    {
        _path = Path.Combine(dataDirectory, FileName);
        if (File.Exists(_path))
        {
            var text = File.ReadAllText(_path).Trim();
            if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out _highest))
            {
                throw new InvalidDataException($"{FileName} in the data directory does not hold an epoch (\"{text}\"); restore it or remove it deliberately");
            }
        }
    }

    public long Highest
    {
        get
        {
            lock (_lock)
            {
                return _highest;
            }
        }
    }

    /// <summary>
    /// True if records of <paramref name="epoch"/> may be appended: it is not below the highest accepted, which is raised
    /// to it (durably) first. False if a newer epoch was accepted already.
    /// </summary>
    public bool TryAccept(long epoch)
    {
        lock (_lock)
        {
            if (epoch < _highest)
            {
                return false;
            }

            if (epoch > _highest)
            {
                AtomicFile.Write(_path, System.Text.Encoding.ASCII.GetBytes(epoch.ToString(CultureInfo.InvariantCulture)));
                _highest = epoch;
            }

            return true;
        }
    }
}
