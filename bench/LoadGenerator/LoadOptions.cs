using System.Globalization;

namespace LoadGenerator;

/// <summary>Command-line options. Every option has a default so `LoadGenerator --target URL` runs.</summary>
internal sealed record LoadOptions
{
    public Uri Target { get; init; } = new("http://127.0.0.1:8545/");

    /// <summary>sequencer_sendRawTransaction (durable, signed confirmation) or eth_sendRawTransaction.</summary>
    public string Method { get; init; } = "sequencer_sendRawTransaction";

    public int Transactions { get; init; } = 50_000;

    public int Senders { get; init; } = 1_000;

    public int Concurrency { get; init; } = 64;

    /// <summary>Open-loop rate in tx/s; 0 sends as fast as the target answers (closed loop).</summary>
    public double Rate { get; init; }

    /// <summary>Give every sender a balance with anvil_setBalance first (anvil only).</summary>
    public bool FundAnvil { get; init; }

    /// <summary>Give every sender a balance with anvil_setBalance on this URL (an anvil behind the target, e.g. its execution node).</summary>
    public Uri? FundUrl { get; init; }

    public string Label { get; init; } = "target";

    /// <summary>Deterministic sender keys: the same seed gives the same senders.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Optional file to append one JSON result line to.</summary>
    public string? Json { get; init; }

    /// <summary>
    /// Only sign, write the request bodies to this file (one JSON body per line, every sender's first nonce, then every
    /// sender's second, ...) and exit: input for another client (bench/wrk/rawtx.lua).
    /// </summary>
    public string? WriteBodies { get; init; }

    /// <summary>The target's process id: its CPU time during the run (from /proc) goes into the result.</summary>
    public int ServerPid { get; init; }

    public static LoadOptions Parse(string[] args)
    {
        var options = new LoadOptions();
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{name} needs a value");
            options = name switch
            {
                "--target" => options with { Target = new Uri(Value()) },
                "--method" => options with { Method = Value() },
                "--transactions" => options with { Transactions = int.Parse(Value(), CultureInfo.InvariantCulture) },
                "--senders" => options with { Senders = int.Parse(Value(), CultureInfo.InvariantCulture) },
                "--concurrency" => options with { Concurrency = int.Parse(Value(), CultureInfo.InvariantCulture) },
                "--rate" => options with { Rate = double.Parse(Value(), CultureInfo.InvariantCulture) },
                "--fund-anvil" => options with { FundAnvil = true },
                "--fund-url" => options with { FundUrl = new Uri(Value()) },
                "--label" => options with { Label = Value() },
                "--seed" => options with { Seed = int.Parse(Value(), CultureInfo.InvariantCulture) },
                "--json" => options with { Json = Value() },
                "--write-bodies" => options with { WriteBodies = Value() },
                "--server-pid" => options with { ServerPid = int.Parse(Value(), CultureInfo.InvariantCulture) },
                _ => throw new ArgumentException($"unknown option {name}"),
            };
        }

        if (options.Concurrency < 1 || options.Senders < options.Concurrency || options.Transactions < options.Senders)
        {
            throw new ArgumentException("need 1 <= concurrency <= senders <= transactions");
        }

        return options;
    }
}
