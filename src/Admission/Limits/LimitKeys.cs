namespace Admission.Limits;

/// <summary>
/// Names of the keys limits live under. Daily keys carry the UTC day number, so a new day starts
/// with fresh counters (old ones expire on their own).
/// </summary>
internal static class LimitKeys
{
    public const long MicrosecondsPerDay = 86_400_000_000;

    public static long Day(long nowUs) => nowUs / MicrosecondsPerDay;

    /// <summary>Start of the next UTC day, in µs since the epoch: when daily counters reset.</summary>
    public static long NextDayUs(long nowUs) => (Day(nowUs) + 1) * MicrosecondsPerDay;

    public static string Rate(string window, string identity) => "rate:" + window + ":" + identity;

    public static string DailyTx(long day, string identity) => "day:" + day + ":tx:" + identity;

    public static string DailyGas(long day, string identity) => "day:" + day + ":gas:" + identity;

    public static string GlobalGas(long day) => Of(day).GlobalGas;

    public static string GlobalTx(long day) => Of(day).GlobalTx;

    /// <summary>Wei charged to an identity today (reserved and not yet settled, plus settled), a decimal string.</summary>
    public static string DailyWei(long day, string identity) => "day:" + day + ":wei:" + identity;

    public static string GlobalWei(long day) => Of(day).GlobalWei;

    /// <summary>Set once the day's spend alert of <paramref name="scope"/> ("global" or an identity) has fired.</summary>
    public static string SpendAlert(long day, string scope) => "day:" + day + ":spend-alert:" + scope;

    /// <summary>Sorted set of identities by gas used today.</summary>
    public static string TopByGas(long day) => Of(day).TopByGas;

    // The day's global key names, which every sponsored admission names: made once a day, not four strings per request.
    private static DayKeys _today = new(0);

    private static DayKeys Of(long day)
    {
        var keys = Volatile.Read(ref _today);
        if (keys.Day != day)
        {
            keys = new DayKeys(day);
            Volatile.Write(ref _today, keys);
        }

        return keys;
    }

    private sealed class DayKeys(long day)
    {
        public long Day { get; } = day;

        public string GlobalGas { get; } = "day:" + day + ":global-gas";

        public string GlobalTx { get; } = "day:" + day + ":global-tx";

        public string GlobalWei { get; } = "day:" + day + ":global-wei";

        public string TopByGas { get; } = "day:" + day + ":top-gas";
    }

    public static string PaidSender(string window, string sender) => "paid:sender:" + window + ":" + sender;

    public static string PaidClientIp(string window, string ip) => "paid:ip:" + window + ":" + ip;
}
