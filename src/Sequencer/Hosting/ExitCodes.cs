using Sequencer.Sequencing;
using Sequencer.Log;

namespace Sequencer.Hosting;

/// <summary>
/// How the process ends (docs/operations.md). The non-zero codes follow BSD sysexits, so that scripts and service
/// managers can tell "fix the data" from "try again later" from "fix the configuration".
/// </summary>
public static class ExitCodes
{
    /// <summary>Stopped normally (SIGTERM, Ctrl-C), or <c>--recover-wal</c> found nothing it had to refuse.</summary>
    public const int Ok = 0;

    /// <summary>The write-ahead log holds damage a crash cannot explain; nothing was changed (EX_DATAERR).</summary>
    public const int WalDamaged = 65;

    /// <summary>Another process holds the data directory (EX_TEMPFAIL: it may be free later).</summary>
    public const int DataDirectoryInUse = 75;

    /// <summary>
    /// A replica of a set stopped to cut records of its log that the set never acknowledged (a deposed leader's tail,
    /// docs/replication.md "Takeover"): start it again, the start cuts them. Not a sysexits code: nothing is wrong.
    /// </summary>
    public const int TailCutPending = 3;

    /// <summary>
    /// A setting failed validation or has a value of the wrong type, a key setting is missing or malformed, an unknown
    /// option (of the host or of <c>--recover-wal</c>: one code for every bad usage), or the port is taken: the operator
    /// must change how the program is started (issue 14 asks for 2, the code command-line tools use for "bad usage").
    /// </summary>
    public const int InvalidConfiguration = 2;

    /// <summary>The exit code for a failure that ends the start with a message, or null for a fault of the program itself.</summary>
    public static int? For(Exception failure) => failure switch
    {
        WalCorruptedException => WalDamaged,
        DataDirectoryInUseException => DataDirectoryInUse,
        _ when StartupFailure.Describe(failure) is not null => InvalidConfiguration,
        _ => null,
    };

    /// <summary>The one line printed for a failure that <see cref="For"/> knows.</summary>
    public static string Describe(Exception failure) => failure switch
    {
        WalCorruptedException => failure.Message + ". Nothing was cut: see docs/operations.md, \"Damaged write-ahead log\"",
        DataDirectoryInUseException => failure.Message,
        _ => StartupFailure.Describe(failure) ?? failure.Message,
    };
}
