using DaClient.Local;

namespace Sequencer.History;

/// <summary>Replaces a file so that a crash leaves either the old or the new one, whole: temporary file, fsync, rename, directory fsync.</summary>
internal static class AtomicFile
{
    public static void Write(string path, ReadOnlySpan<byte> bytes, bool fsync)
    {
        var temporary = path + ".tmp";
        using (var handle = File.OpenHandle(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            RandomAccess.Write(handle, bytes, 0);
            if (fsync)
            {
                RandomAccess.FlushToDisk(handle);
            }
        }

        File.Move(temporary, path, overwrite: true);
        if (fsync)
        {
            DirectorySync.Flush(Path.GetDirectoryName(Path.GetFullPath(path))!);
        }
    }
}
