using System.Globalization;
using Microsoft.Win32.SafeHandles;

namespace Sequencer.Sequencing;

/// <summary>Another process holds the data directory; this one must not touch it.</summary>
public sealed class DataDirectoryInUseException(string message) : Exception(message);

/// <summary>
/// An exclusive OS lock on the data directory for the life of the process: two sequencers on one directory would
/// both sign sequence numbers (equivocation) and both append to one log and one batch journal.
/// </summary>
/// <remarks>
/// The lock is <c>sequencer.lock</c> held open with <see cref="FileShare.None"/>, which .NET turns into
/// <c>flock(LOCK_EX)</c> on Unix and a sharing-mode lock on Windows; the OS drops it when the process dies, however it
/// dies, so there is no stale lock to clean up. Because .NET takes a shared flock to read a file, the holder's
/// process id goes into a second file, <c>sequencer.lock.owner</c>, written only after the lock is held.
/// </remarks>
internal sealed class DataDirectoryLock : IDisposable
{
    public const string LockFileName = "sequencer.lock";
    public const string OwnerFileName = "sequencer.lock.owner";

    private readonly SafeFileHandle _handle;

    private DataDirectoryLock(string directory, SafeFileHandle handle)
    {
        Directory = directory;
        _handle = handle;
    }

    public string Directory { get; }

    /// <summary>Takes the lock, or throws <see cref="DataDirectoryInUseException"/> naming the holder.</summary>
    public static DataDirectoryLock Acquire(string dataDirectory)
    {
        var directory = Path.GetFullPath(dataDirectory);
        System.IO.Directory.CreateDirectory(directory);
        SafeFileHandle handle;
        try
        {
            handle = File.OpenHandle(Path.Combine(directory, LockFileName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException ex) when (IsHeldElsewhere(ex))
        {
            throw new DataDirectoryInUseException(
                $"data directory {directory} is in use by another sequencer process ({DescribeHolder(directory)}); " +
                "one data directory serves one process: stop that one first, or give this one its own Sequencer:DataDirectory");
        }

        var owner = string.Create(CultureInfo.InvariantCulture,
            $"pid {Environment.ProcessId} on {Environment.MachineName}, since {DateTime.UtcNow:yyyy-MM-ddTHH:mm:ssZ}");
        File.WriteAllText(Path.Combine(directory, OwnerFileName), owner + "\n");
        return new DataDirectoryLock(directory, handle);
    }

    public void Dispose() => _handle.Dispose();

    /// <summary>
    /// The lock is taken: EWOULDBLOCK from flock (11 on Linux, 35 on macOS, which .NET reports as the HResult) or
    /// ERROR_SHARING_VIOLATION on Windows. Any other error (a full disk, no permission) is not about another process.
    /// </summary>
    private static bool IsHeldElsewhere(IOException ex) => ex.HResult is 11 or 35 or unchecked((int)0x80070020);

    private static string DescribeHolder(string directory)
    {
        try
        {
            var owner = File.ReadAllText(Path.Combine(directory, OwnerFileName)).Trim();
            return owner.Length > 0 ? owner : "holder not yet recorded";
        }
        catch (IOException)
        {
            return "holder not yet recorded";
        }
    }
}
