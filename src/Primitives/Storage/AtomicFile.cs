namespace Primitives.Storage;

/// <summary>
/// Replaces a file so that a crash leaves either the old content or the new, never a mix: the
/// bytes go to a temporary file next to it, which is fsynced, renamed over the target, and the
/// directory fsynced so the rename itself survives a power loss. Each write has its own temporary
/// name, so concurrent writers of one directory do not trip over each other, and a failed write
/// leaves no temporary file behind.
/// </summary>
public static class AtomicFile
{
    /// <param name="path">The file to create or replace; its directory must exist.</param>
    /// <param name="content">The whole new content.</param>
    /// <param name="durable">False skips both fsyncs (tests and throwaway stores): still atomic, not durable.</param>
    public static void Write(string path, ReadOnlySpan<byte> content, bool durable = true)
    {
        var temporary = TemporaryPathFor(path);
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1))
            {
                stream.Write(content);
                if (durable)
                {
                    stream.Flush(flushToDisk: true);
                }
            }

            Commit(temporary, path, durable);
        }
        finally
        {
            DeleteIfLeft(temporary);
        }
    }

    /// <inheritdoc cref="Write"/>
    public static async Task WriteAsync(string path, ReadOnlyMemory<byte> content, bool durable, CancellationToken cancellationToken)
    {
        var temporary = TemporaryPathFor(path);
        try
        {
            await using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous))
            {
                await stream.WriteAsync(content, cancellationToken).ConfigureAwait(false);
                if (durable)
                {
                    stream.Flush(flushToDisk: true);
                }
            }

            Commit(temporary, path, durable);
        }
        finally
        {
            DeleteIfLeft(temporary);
        }
    }

    private static string TemporaryPathFor(string path) => path + "." + Guid.NewGuid().ToString("N") + ".tmp";

    private static void Commit(string temporary, string path, bool durable)
    {
        File.Move(temporary, path, overwrite: true);
        if (durable)
        {
            DirectorySync.Flush(Path.GetDirectoryName(Path.GetFullPath(path))!);
        }
    }

    private static void DeleteIfLeft(string temporary)
    {
        if (File.Exists(temporary))
        {
            File.Delete(temporary);
        }
    }
}
