using System.Globalization;

namespace Sequencer.Replication;

/// <summary>
/// The last commit index this replica knew (<c>replication-commit</c> in the data directory, docs/replication.md "Commit
/// index"): after a restart it publishes its log only up to there until a leader tells it more. Written now and then,
/// through a temporary file and a rename, without an fsync: a crash can only leave an older (lower) value, which hides
/// records that are committed for a moment but never shows one that is not. An unreadable file counts as 0 for the same
/// reason.
/// </summary>
internal sealed class CommitIndexFile(string dataDirectory)
{
    public const string FileName = "replication-commit";

    private readonly string _path = Path.Combine(dataDirectory, FileName);
    private long _written = -1;

    /// <summary>The commit index stored, 0 when none (or unreadable).</summary>
    public long Read()
    {
        try
        {
            return long.TryParse(File.ReadAllText(_path).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var end) ? end : 0;
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return 0;
        }
    }

    /// <summary>Stores <paramref name="end"/> if it changed since the last write. One caller at a time (the log's timer).</summary>
    public void Write(long end)
    {
        if (end == _written)
        {
            return;
        }

        var temporary = _path + ".tmp";
        File.WriteAllText(temporary, end.ToString(CultureInfo.InvariantCulture));
        File.Move(temporary, _path, overwrite: true);
        _written = end;
    }
}
