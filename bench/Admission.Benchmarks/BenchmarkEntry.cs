using System.Globalization;
using BenchmarkDotNet.Running;

namespace Admission.Benchmarks;

public static class BenchmarkEntry
{
    /// <summary>
    /// <c>load [Embedded|Redis] [concurrency] [seconds]</c> runs <see cref="LimiterLoad"/>,
    /// <c>sponsored [Embedded|Redis] [concurrency] [seconds] [identities] [warm-up seconds]</c> runs <see cref="SponsoredLoad"/>;
    /// anything else goes to BenchmarkDotNet.
    /// </summary>
    public static async Task Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "load")
        {
            var store = args.Length > 1 ? args[1] : "Embedded";
            var concurrency = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 32;
            var seconds = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 10;
            await LimiterLoad.RunAsync(store, concurrency, seconds);
            return;
        }

        if (args.Length > 0 && args[0] == "sponsored")
        {
            var store = args.Length > 1 ? args[1] : "Embedded";
            var concurrency = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 64;
            var seconds = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 10;
            var identities = args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 10_000;
            var warmUp = args.Length > 5 ? int.Parse(args[5], CultureInfo.InvariantCulture) : 2;
            await SponsoredLoad.RunAsync(store, concurrency, seconds, identities, warmUp);
            return;
        }

        BenchmarkSwitcher.FromAssembly(typeof(BenchmarkEntry).Assembly).Run(args);
    }
}
