using System.Globalization;

namespace Sequencer.Benchmarks.BlockShare;

/// <summary>The block-share run's shape; <c>blockshare [blocks] [identities] [inFlight] [paidSenders]</c> on the command line.</summary>
internal sealed record BlockShareSettings(int Blocks, int Identities, int InFlight, int PaidSenders)
{
    public int Warmup => 20;

    public int TxPerBlock => 100;

    public int BlockIntervalMs => 50;

    public int SponsoredPercent => 70;

    public int CapPercent => 10;

    public int QueueCapacity => 1024;

    public static BlockShareSettings Parse(string[] args) => new(
        Blocks: Arg(args, 1, 200), Identities: Arg(args, 2, 40), InFlight: Arg(args, 3, 8), PaidSenders: Arg(args, 4, 32));

    private static int Arg(string[] args, int at, int fallback) =>
        args.Length > at ? int.Parse(args[at], CultureInfo.InvariantCulture) : fallback;
}
