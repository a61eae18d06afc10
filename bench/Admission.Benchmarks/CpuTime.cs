using System.Diagnostics;
using System.Globalization;

namespace Admission.Benchmarks;

/// <summary>
/// CPU seconds (user + system) of this process and, given its pid, of a helper server (redis-server) over a window.
/// On a shared machine the transactions per second follow the load; CPU per transaction is what two builds can be
/// compared by.
/// </summary>
internal readonly struct CpuTime
{
    private readonly int? _serverPid;
    private readonly double _process;
    private readonly double _server;

    private CpuTime(int? serverPid)
    {
        _serverPid = serverPid;
        _process = Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;
        _server = ServerSeconds(serverPid);
    }

    public static CpuTime Start(int? serverPid) => new(serverPid);

    public (double Process, double Server) Elapsed() =>
        (Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds - _process, ServerSeconds(_serverPid) - _server);

    /// <summary>utime + stime from /proc/PID/stat (fields 14 and 15, clock ticks of 1/100 s); 0 without a pid.</summary>
    private static double ServerSeconds(int? pid)
    {
        if (pid is not { } id || !File.Exists($"/proc/{id}/stat"))
        {
            return 0;
        }

        // The command name (field 2) may hold spaces; the fields after its closing parenthesis do not.
        var stat = File.ReadAllText($"/proc/{id}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
    }
}
