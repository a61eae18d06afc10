using System.Globalization;

namespace Sequencer.Log;

/// <summary>Naming of segment files: the first sequence number they hold, zero-padded, ".wal".</summary>
internal static class WalSegments
{
    private const string Extension = ".wal";

    public static string PathFor(string directory, long firstSequence) =>
        Path.Combine(directory, firstSequence.ToString("D20", CultureInfo.InvariantCulture) + Extension);

    /// <summary>Segment files in sequence order.</summary>
    public static List<(long FirstSequence, string Path)> List(string directory)
    {
        var segments = new List<(long, string)>();
        foreach (var path in Directory.EnumerateFiles(directory, "*" + Extension))
        {
            if (long.TryParse(Path.GetFileNameWithoutExtension(path), NumberStyles.None, CultureInfo.InvariantCulture, out var first))
            {
                segments.Add((first, path));
            }
        }

        segments.Sort(static (a, b) => a.Item1.CompareTo(b.Item1));
        return segments;
    }
}
