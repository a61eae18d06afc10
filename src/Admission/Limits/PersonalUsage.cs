namespace Admission.Limits;

/// <summary>
/// The limit keys that hold one person's (or one unlinked identity's) usage, and how they move when logins are linked or
/// unlinked. A new per-identity limit key in the sponsored gate's request (SponsoredTransactionGate.BuildRequest) belongs
/// here too, or linking would start it from zero.
/// </summary>
internal static class PersonalUsage
{
    /// <summary>
    /// Linking: the usage of <paramref name="joined"/> (identities that were on their own) adds up into <paramref name="person"/>'s,
    /// counters and rate windows alike, and their lines on today's top board become the person's line.
    /// </summary>
    public static UsageCarry Join(string person, IReadOnlyList<string> joined, long nowUs)
    {
        var sources = new string[joined.Count];
        for (var i = 0; i < sources.Length; i++)
        {
            sources[i] = joined[i];
        }

        return new UsageCarry(nowUs, Entries(person, sources, CarryMode.Add, nowUs), new BoardCarry(LimitKeys.TopByGas(LimitKeys.Day(nowUs)), person, sources, LimitKeys.NextDayUs(nowUs)));
    }

    /// <summary>
    /// Unlinking: the identity that leaves takes a copy of the person's usage for the rest of the day (the higher of its own
    /// and the person's), so splitting a person never gives anyone a fresh budget; the person keeps its usage.
    /// </summary>
    public static UsageCarry Leave(string identity, string person, long nowUs) =>
        new(nowUs, Entries(identity, [person], CarryMode.Max, nowUs));

    private static CarryEntry[] Entries(string target, string[] sources, CarryMode mode, long nowUs)
    {
        var day = LimitKeys.Day(nowUs);
        var reset = LimitKeys.NextDayUs(nowUs);
        return
        [
            Rate(LimitRules.Burst, target, sources, mode),
            Rate(LimitRules.Sustained, target, sources, mode),
            new(LimitKeys.DailyTx(day, target), Map(sources, s => LimitKeys.DailyTx(day, s)), false, mode, reset),
            new(LimitKeys.DailyGas(day, target), Map(sources, s => LimitKeys.DailyGas(day, s)), false, mode, reset),
        ];
    }

    private static CarryEntry Rate(string window, string target, string[] sources, CarryMode mode) =>
        new(LimitKeys.Rate(window, target), Map(sources, s => LimitKeys.Rate(window, s)), true, mode, 0);

    private static string[] Map(string[] sources, Func<string, string> key)
    {
        var keys = new string[sources.Length];
        for (var i = 0; i < keys.Length; i++)
        {
            keys[i] = key(sources[i]);
        }

        return keys;
    }
}
