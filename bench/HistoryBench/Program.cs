using HistoryBench;

// bench/restart.sh and bench/soak.sh drive this tool (docs/benchmarks.md, "History and restart").
//   generate --data DIR --records N [--tail T] [--chunk C] [--senders S]   a data directory as a long-running sequencer leaves it
//                                    (T defaults to the default History:ChunkTransactions, the most a restart replays,
//                                    C to five times that, the size the indexer merges its chunks into)
//   lookups --data DIR [--count N]   time of lookups by hash through the history index, found and never sequenced
//   soak --target URL --pid PID --minutes M [--concurrency C] [--senders S] [--out FILE]
if (args.Length == 0)
{
    Console.Error.WriteLine("usage: HistoryBench generate|soak ...");
    return 2;
}

static string DefaultChunk(int times) => (times * new Sequencer.Options.HistoryOptions().ChunkTransactions).ToString(System.Globalization.CultureInfo.InvariantCulture);

string Option(string name, string? fallback = null)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback ?? throw new ArgumentException($"{name} is required");
}

return args[0] switch
{
    "generate" => HistoryGenerator.Run(Option("--data"), long.Parse(Option("--records"), System.Globalization.CultureInfo.InvariantCulture),
        long.Parse(Option("--tail", DefaultChunk(1)), System.Globalization.CultureInfo.InvariantCulture),
        long.Parse(Option("--chunk", DefaultChunk(5)), System.Globalization.CultureInfo.InvariantCulture),
        int.Parse(Option("--senders", "10000"), System.Globalization.CultureInfo.InvariantCulture)),
    "lookups" => LookupTiming.Run(Option("--data"), int.Parse(Option("--count", "2000"), System.Globalization.CultureInfo.InvariantCulture)),
    "soak" => await Soak.RunAsync(new Uri(Option("--target")), int.Parse(Option("--pid"), System.Globalization.CultureInfo.InvariantCulture),
        double.Parse(Option("--minutes"), System.Globalization.CultureInfo.InvariantCulture), int.Parse(Option("--concurrency", "64"), System.Globalization.CultureInfo.InvariantCulture),
        int.Parse(Option("--senders", "2000"), System.Globalization.CultureInfo.InvariantCulture), Option("--out", "soak.csv")),
    "replay" => ReplayTiming.Run(Option("--data"), int.Parse(Option("--times", "3"), System.Globalization.CultureInfo.InvariantCulture)),
    _ => 2,
};
