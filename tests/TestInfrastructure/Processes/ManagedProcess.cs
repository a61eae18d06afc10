using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;

namespace TestInfrastructure.Processes;

/// <summary>
/// A child process a test started: output captured (bounded), stopped by PID on dispose,
/// killable with SIGKILL to simulate a crash. With a log file, every line also goes there, whole and time-stamped:
/// the bounded capture keeps only the last lines, too few to diagnose a long run after the fact.
/// </summary>
public sealed class ManagedProcess : IAsyncDisposable
{
    private const int MaxLogLines = 5000;

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _log = new();
    private readonly List<(Func<string, bool> Match, TaskCompletionSource Seen)> _waiters = new();
    private readonly Lock _waitersLock = new();
    private readonly StreamWriter? _file;

    private ManagedProcess(Process process, string name, StreamWriter? file)
    {
        _process = process;
        Name = name;
        _file = file;
    }

    public string Name { get; }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    public int? ExitCode => _process.HasExited ? _process.ExitCode : null;

    /// <summary>The last lines the process wrote to stdout and stderr, interleaved.</summary>
    public string RecentOutput => string.Join('\n', _log);

    public static ManagedProcess Start(
        string fileName,
        IEnumerable<string> arguments,
        string? workingDirectory = null,
        IReadOnlyDictionary<string, string?>? environment = null,
        string? name = null,
        string? logFile = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        if (environment is not null)
        {
            foreach (var (key, value) in environment)
            {
                info.Environment[key] = value;
            }
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var file = logFile is null ? null : OpenLog(logFile);
        var managed = new ManagedProcess(process, name ?? Path.GetFileName(fileName), file);
        process.OutputDataReceived += (_, e) => managed.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => managed.OnLine(e.Data);
        if (!process.Start())
        {
            throw new InvalidOperationException($"could not start {fileName}");
        }

        managed.Write($"--- started {fileName} (pid {process.Id})");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return managed;
    }

    /// <summary>Appends (a restarted process goes on in the same file), shared so that a reader can look while it runs.</summary>
    private static StreamWriter OpenLog(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        return new StreamWriter(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete), Encoding.UTF8) { AutoFlush = true };
    }

    /// <summary>Completes when a line matching <paramref name="match"/> appears (or has appeared).</summary>
    public async Task WaitForOutputAsync(Func<string, bool> match, TimeSpan timeout)
    {
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_waitersLock)
        {
            foreach (var line in _log)
            {
                if (match(line))
                {
                    return;
                }
            }

            _waiters.Add((match, seen));
        }

        var exited = _process.WaitForExitAsync();
        var finished = await Task.WhenAny(seen.Task, exited, Task.Delay(timeout));
        if (finished == seen.Task)
        {
            return;
        }

        var why = finished == exited ? $"exited with code {_process.ExitCode}" : $"gave no matching output within {timeout}";
        throw new InvalidOperationException($"{Name} {why}. Output:\n{RecentOutput}");
    }

    /// <summary>Waits for the process to exit on its own; false if it is still running after <paramref name="timeout"/>.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
            _process.WaitForExit(); // returns once the redirected output has been read to its end
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>SIGKILL: no chance to flush or clean up, as in a power cut of the process.</summary>
    public void Kill()
    {
        if (SendKill(entireProcessTree: true))
        {
            _process.WaitForExit();
        }
    }

    /// <summary>
    /// SIGKILL, as <see cref="Kill"/>, but waits for the exit without holding a thread. A test that measures what happens
    /// right after the kill must use this one: the blocking wait took one of the thread pool's two threads (2 cores), the
    /// exit's own notice and the test's clients waited behind it, and the failover bench recorded confirmations the new
    /// leader had given up to a second earlier.
    /// </summary>
    /// <param name="entireProcessTree">
    /// False for a program that starts no children: a tree kill first reads every process on the machine to find the
    /// children, and the signal leaves only after that.
    /// </param>
    public async Task KillAsync(bool entireProcessTree = true)
    {
        if (SendKill(entireProcessTree))
        {
            await _process.WaitForExitAsync();
        }
    }

    // The signal, logged with how long sending it took; false when the process had already exited.
    private bool SendKill(bool entireProcessTree)
    {
        if (_process.HasExited)
        {
            return false;
        }

        Write("--- SIGKILL (the test)");
        var started = Stopwatch.GetTimestamp();
        _process.Kill(entireProcessTree);
        Write($"--- SIGKILL sent after {Stopwatch.GetElapsedTime(started).TotalMilliseconds:0} ms");
        return true;
    }

    /// <summary>SIGSTOP: the process keeps its sockets open but answers nothing, as a hung server does.</summary>
    public void Pause() => Signal("STOP");

    /// <summary>SIGCONT after <see cref="Pause"/>.</summary>
    public void Resume() => Signal("CONT");

    /// <summary>SIGTERM, then SIGKILL if the process is still running after <paramref name="grace"/>.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        if (_process.HasExited)
        {
            return;
        }

        try
        {
            // A paused process would not act on SIGTERM until continued.
            Resume();
            Process.Start("kill", ["-TERM", _process.Id.ToString()])?.WaitForExit();
            using var cts = new CancellationTokenSource(grace);
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            await KillAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.FromSeconds(5));
        CloseLogFile();
        _process.Dispose();
    }

    /// <summary>
    /// Once the process has exited: its last lines and exit code to the log file, which is closed (a restart of the same
    /// program appends to it with a new writer). Nothing while it runs.
    /// </summary>
    public void CloseLogFile()
    {
        if (_file is null || !_process.HasExited)
        {
            return;
        }

        _process.WaitForExit(); // to the end of the redirected output
        lock (_file)
        {
            try
            {
                _file.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} --- exited with code {_process.ExitCode}");
            }
            catch (ObjectDisposedException)
            {
                return;
            }

            _file.Dispose();
        }
    }

    /// <summary>One line to the log file, if any, with the test's wall-clock time (the same clock for every process of a test).</summary>
    private void Write(string line)
    {
        if (_file is null)
        {
            return;
        }

        lock (_file)
        {
            try
            {
                _file.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} {line}");
            }
            catch (ObjectDisposedException)
            {
                // A line read after the process was disposed: the file is closed.
            }
        }
    }

    private void Signal(string signal)
    {
        if (!_process.HasExited)
        {
            Write($"--- SIG{signal} (the test)");
            Process.Start("kill", ["-" + signal, _process.Id.ToString()])?.WaitForExit();
        }
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        Write(line);
        _log.Enqueue(line);
        while (_log.Count > MaxLogLines && _log.TryDequeue(out _))
        {
        }

        lock (_waitersLock)
        {
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Match(line))
                {
                    _waiters[i].Seen.TrySetResult();
                    _waiters.RemoveAt(i);
                }
            }
        }
    }
}
