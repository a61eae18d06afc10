using System.Diagnostics;
using System.Globalization;

namespace LoadGenerator;

/// <summary>
/// CPU seconds (user + system) used during the measured window by this client and, given its pid, by the target:
/// on shared cores the client's share is what the server did not get, so both are reported.
/// </summary>
internal readonly struct CpuTime
{
    private readonly int _serverPid;
    private readonly double _client;
    private readonly double _server;

    private CpuTime(int serverPid)
    {
        _serverPid = serverPid;
        _client = Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;
        _server = ServerSeconds(serverPid);
    }

    public static CpuTime Start(int serverPid) => new(serverPid);

    public (double Client, double Server) Stop() =>
        (Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds - _client, ServerSeconds(_serverPid) - _server);

    /// <summary>utime + stime from /proc/PID/stat (fields 14 and 15, in clock ticks of 1/100 s on Linux); 0 without a pid.</summary>
    private static double ServerSeconds(int pid)
    {
        if (pid <= 0 || !File.Exists($"/proc/{pid}/stat"))
        {
            return 0;
        }

        // The command name (field 2) may hold spaces; the fields after its closing parenthesis do not.
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
    }
}
