using System.Diagnostics;

namespace TestInfrastructure.Storage;

/// <summary>
/// A small tmpfs mounted for one test, to be filled up: a real "No space left on device" from a real filesystem,
/// for the code under test and for the processes it starts. Mounting needs root or passwordless sudo (as
/// scripts/test.sh needs for its Debian packages); without either the test fails and says so.
/// </summary>
public sealed class SmallFilesystem : IDisposable
{
    private SmallFilesystem(string path) => Path = path;

    /// <summary>The mount point.</summary>
    public string Path { get; }

    public static SmallFilesystem Mount(long bytes)
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "small-fs-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        var (code, output) = Privileged("mount", "-t", "tmpfs", "-o", $"size={bytes},mode=0777", "tmpfs", path);
        if (code != 0)
        {
            Directory.Delete(path);
            throw new InvalidOperationException($"cannot mount a {bytes}-byte tmpfs at {path} (needs root or passwordless sudo): exit {code}: {output}");
        }

        return new SmallFilesystem(path);
    }

    /// <summary>Takes every free byte with one file, which <see cref="Free"/> deletes again.</summary>
    public string Fill()
    {
        var filler = System.IO.Path.Combine(Path, "filler-" + Guid.NewGuid().ToString("N"));
        var chunk = new byte[64 * 1024];
        Array.Fill(chunk, (byte)0xA5);
        using var stream = new FileStream(filler, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1);
        try
        {
            while (true)
            {
                stream.Write(chunk);
            }
        }
        catch (IOException)
        {
            // Full. Now also the last partial chunk: byte by byte until nothing more fits.
            try
            {
                while (true)
                {
                    stream.WriteByte(0xA5);
                }
            }
            catch (IOException)
            {
            }
        }

        return filler;
    }

    public static void Free(string filler) => File.Delete(filler);

    public void Dispose()
    {
        Privileged("umount", "--lazy", Path);
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static (int Code, string Output) Privileged(string command, params string[] arguments)
    {
        var info = Environment.IsPrivilegedProcess ? new ProcessStartInfo(command) : new ProcessStartInfo("sudo") { ArgumentList = { "-n", command } };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        using var process = Process.Start(info) ?? throw new InvalidOperationException("cannot start " + command);
        var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output.Trim());
    }
}
