namespace Admission.Limits;

/// <summary>
/// The generic cell rate algorithm on one theoretical arrival time (TAT). Kept here for the embedded
/// store; the Redis store runs the same arithmetic in acquire.lua.
/// </summary>
internal static class Gcra
{
    /// <summary>The TAT after one more request, or the wait until it may come (as a negative-free out value).</summary>
    public static bool TryTake(long storedTat, long nowUs, long intervalUs, long toleranceUs, out long newTat, out long retryAfterUs)
    {
        var tat = Math.Max(storedTat, nowUs);
        newTat = tat + intervalUs;
        var allowAt = newTat - toleranceUs;
        if (allowAt > nowUs)
        {
            retryAfterUs = allowAt - nowUs;
            return false;
        }

        retryAfterUs = 0;
        return true;
    }

    /// <summary>How many requests could be made right now given a stored TAT.</summary>
    public static long Remaining(long storedTat, long nowUs, long intervalUs, long toleranceUs)
    {
        var ahead = Math.Max(storedTat, nowUs) - nowUs;
        return Math.Max(0, (toleranceUs - ahead) / intervalUs);
    }
}
