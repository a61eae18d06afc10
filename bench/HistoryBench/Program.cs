using HistoryBench;

// bench/restart.sh and bench/soak.sh drive this tool (docs/benchmarks.md, "History and restart").
//   generate --data DIR --records N [--tail T] [--senders S]   a data directory as a long-running sequencer leaves it
//   soak --target URL --pid PID --minutes M [--concurrency C] [--senders S] [--out FILE]
if (args.Length == 0)
{
    Console.Error.WriteLine("usage: HistoryBench generate|soak ...");
    return 2;
}

string Option(string name, string? fallback = null)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback ?? throw new ArgumentException($"{name} is required");
}

return args[0] switch
{
    "generate" => HistoryGenerator.Run(Option("--data"), long.Parse(Option("--records"), System.Globalization.CultureInfo.InvariantCulture),
        long.Parse(Option("--tail", "50000"), System.Globalization.CultureInfo.InvariantCulture), int.Parse(Option("--senders", "10000"), System.Globalization.CultureInfo.InvariantCulture)),
    "soak" => await Soak.RunAsync(new Uri(Option("--target")), int.Parse(Option("--pid"), System.Globalization.CultureInfo.InvariantCulture),
        double.Parse(Option("--minutes"), System.Globalization.CultureInfo.InvariantCulture), int.Parse(Option("--concurrency", "64"), System.Globalization.CultureInfo.InvariantCulture),
        int.Parse(Option("--senders", "2000"), System.Globalization.CultureInfo.InvariantCulture), Option("--out", "soak.csv")),
    "replay" => ReplayTiming.Run(Option("--data"), int.Parse(Option("--times", "3"), System.Globalization.CultureInfo.InvariantCulture)),
    _ => 2,
};
