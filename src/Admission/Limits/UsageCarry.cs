namespace Admission.Limits;

/// <summary>
/// Moves usage between limit keys in one atomic step, when logins and wallets are linked into a person or
/// unlinked from one (docs/admission.md, "One person, many logins and wallets"). Counters are daily quota
/// counters; backlogs are GCRA arrival times, whose distance ahead of now is the requests not yet "paid back".
/// </summary>
/// <param name="NowUs">The caller's clock, µs since the Unix epoch.</param>
/// <param name="Entries">Each target key and the keys carried into it.</param>
/// <param name="Board">Scores on a usage board moved from some members to one, or null.</param>
internal sealed record UsageCarry(long NowUs, CarryEntry[] Entries, BoardCarry? Board = null);

/// <summary>How a target key takes in its sources.</summary>
internal enum CarryMode : byte
{
    /// <summary>Usage adds up: counters are summed, GCRA backlogs (arrival time − now) are summed.</summary>
    Add,

    /// <summary>The target keeps the highest value (counters and arrival times alike): nothing is added, nothing forgotten.</summary>
    Max,
}

/// <summary>
/// <c>Target</c> receives the usage of <c>Sources</c> (left unchanged); <c>IsRate</c> for a GCRA arrival time, else a counter, which
/// expires at <c>ResetAtUs</c> (end of its UTC day; arrival times expire when reached).
/// </summary>
internal readonly record struct CarryEntry(string Target, string[] Sources, bool IsRate, CarryMode Mode, long ResetAtUs);

/// <summary>Adds the scores of <see cref="Sources"/> to <see cref="Target"/> on <see cref="BoardKey"/> and removes the sources from it.</summary>
internal readonly record struct BoardCarry(string BoardKey, string Target, string[] Sources, long ResetAtUs);
