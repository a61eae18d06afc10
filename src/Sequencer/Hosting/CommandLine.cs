namespace Sequencer.Hosting;

/// <summary>
/// The program's switches: <c>--help</c>, <c>--version</c>, <c>--config FILE</c>, <c>--recover-wal</c>, and settings
/// as <c>--Section:Key=value</c> (or <c>--Section:Key value</c>) over appsettings.json. ASP.NET Core would take any
/// <c>--word</c> as a setting and ignore it; a typo must stop the start instead, so every setting's first part must
/// be a section the sequencer reads.
/// </summary>
internal static class CommandLine
{
    /// <summary>Top-level configuration sections and host settings the program reads (docs/operations.md).</summary>
    private static readonly HashSet<string> Sections = new(StringComparer.OrdinalIgnoreCase)
    {
        "Urls", "Logging", "Sequencer", "Admission", "Telemetry", "Batcher", "Kestrel", "AllowedHosts",
        "config", "environment", "contentRoot", "applicationName",
    };

    private static readonly HashSet<string> Flags = new(StringComparer.Ordinal)
    {
        "--recover-wal", "--cut",
    };

    public static string Usage => $"""
        rollup-sequencer {Version}
        Orders Ethereum transactions, signs soft confirmations, batches blocks to DA and L1 (docs/).

        Usage: sequencer [options] [--Section:Key=value ...]

        Options:
          --help, -h                 print this help and exit
          --version                  print the version and exit
          --config FILE              read settings from FILE after appsettings.json
          --recover-wal [--cut]      check (and with --cut, repair) the write-ahead log, then exit (docs/operations.md)

        Settings (any key of appsettings.json, documented in docs/operations.md), for example:
          --Urls=http://0.0.0.0:9000                 listen on port 9000 (default http://127.0.0.1:8545)
          --Sequencer:ChainId=424242                 chain id
          --Sequencer:DataDirectory=/var/lib/seq     data directory
          --Sequencer:Execution:Kind=anvil           execution node: none, anvil, engine or auto (docs/execution.md)
          --Logging:Console:FormatterName=json       JSON console logs
        Settings can also come from environment variables (Sequencer__ChainId=424242).

        Exit codes: 0 stopped, 2 invalid setting, unknown option or port in use, 65 damaged log, 75 data directory in use.
        """;

    public static string Version { get; } =
        typeof(CommandLine).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    /// <summary>What the arguments ask for: help, the version, an error (one line), or nothing special (run).</summary>
    public static (bool Help, bool Version, string? Error) Read(string[] args)
    {
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            switch (arg)
            {
                case "--help" or "-h" or "-?" or "/?":
                    return (true, false, null);
                case "--version":
                    return (false, true, null);
            }

            if (Flags.Contains(arg))
            {
                continue;
            }

            var body = arg.StartsWith("--", StringComparison.Ordinal) ? arg[2..] : arg.StartsWith('/') ? arg[1..] : null;
            if (string.IsNullOrEmpty(body))
            {
                return (false, false, $"unexpected argument \"{arg}\": settings are --Section:Key=value (see --help)");
            }

            var equals = body.IndexOf('=', StringComparison.Ordinal);
            var key = equals >= 0 ? body[..equals] : body;
            var section = key.Split(':', 2)[0];
            if (!Sections.Contains(section))
            {
                return (false, false, $"unknown option --{key} (see --help)");
            }

            if (equals < 0)
            {
                // "--Key value": the value is the next argument.
                if (i + 1 >= args.Length || args[i + 1].StartsWith("--", StringComparison.Ordinal))
                {
                    return (false, false, $"option --{key} needs a value: --{key}=VALUE");
                }

                i++;
            }
        }

        return (false, false, null);
    }
}
