using Sequencer.Sequencing;
using System.Globalization;
using Sequencer.Log;

namespace Sequencer.Hosting;

/// <summary>
/// The operator's command for a write-ahead log that stopped the start: <c>--recover-wal</c> reads the log of the
/// (stopped) sequencer and says what it found, changing nothing; <c>--recover-wal --cut</c> cuts the log at the first
/// damaged record, discarding every record after it, and keeps a copy of what it cut. Nothing is ever cut by default.
/// </summary>
/// <remarks>
/// The data directory and the rest of the configuration come from the same sources as the host's
/// (appsettings.json, <c>--config</c>, environment, command line). The data directory is locked first, so the command
/// refuses to run next to a live sequencer.
/// </remarks>
internal static class WalRecoveryCommand
{
    public const string Switch = "--recover-wal";
    public const string CutSwitch = "--cut";

    public static bool IsRequested(string[] args) => args.Contains(Switch);

    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        var cut = args.Contains(CutSwitch);
        var rest = args.Where(a => a is not Switch and not CutSwitch).ToArray();
        if (rest.FirstOrDefault(a => a.StartsWith("--", StringComparison.Ordinal) && !a.Contains('=', StringComparison.Ordinal) && a != "--config") is { } unknown)
        {
            error.WriteLine($"sequencer {Switch}: unknown option {unknown}; settings are given as --Key=value");
            return ExitCodes.InvalidConfiguration;
        }

        try
        {
            var dataDirectory = SequencerApp.LoadConfiguration(rest)["Sequencer:DataDirectory"] ?? "data";
            using var held = DataDirectoryLock.Acquire(dataDirectory);
            return Inspect(Path.Combine(held.Directory, "wal"), cut, output);
        }
        catch (Exception ex) when (ExitCodes.For(ex) is { } code)
        {
            error.WriteLine($"sequencer {Switch}: " + ExitCodes.Describe(ex));
            return code;
        }
    }

    private static int Inspect(string wal, bool cut, TextWriter output)
    {
        if (!Directory.Exists(wal))
        {
            output.WriteLine($"no write-ahead log at {wal}");
            return ExitCodes.Ok;
        }

        long first = -1, last = -1;
        var report = WalRecovery.Replay(wal, (in TxLogRecord record, ReadOnlySpan<byte> _) =>
        {
            first = first < 0 ? record.Sequence : first;
            last = record.Sequence;
        }, cut ? WalRepair.CutAtDamage : WalRepair.None);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"write-ahead log {wal}: {report.Segments} segment(s), {report.Records} valid record(s) in order{(report.Records > 0 ? $" (sequences {first}..{last})" : string.Empty)}"));
        if (report.Damage is not { } damage)
        {
            output.WriteLine("intact: nothing to do");
            return ExitCodes.Ok;
        }

        if (damage.IsTornWrite)
        {
            output.WriteLine("torn write at the end (never confirmed; a normal start cuts it): " + damage.Describe());
            if (report.TornSegment is not null)
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"cut {report.TornBytesCut} byte(s) from {report.TornSegment}"));
            }

            return ExitCodes.Ok;
        }

        output.WriteLine("DAMAGED: " + damage.Describe());
        if (!cut)
        {
            output.WriteLine("nothing was changed. Best: restore the data directory from a replica or backup that holds these records. " +
                $"Last resort: run again with {Switch} {CutSwitch} to discard the damaged record and everything after it; " +
                "clients that hold confirmations for discarded records will see them contradicted.");
            return ExitCodes.WalDamaged;
        }

        // The checkpoint may lie past the cut; without it the next start replays the whole log (history chunks past the
        // cut are dropped then, being derived data).
        var checkpoint = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(wal))!, "history", History.Checkpoint.FileName);
        if (File.Exists(checkpoint))
        {
            File.Delete(checkpoint);
            output.WriteLine($"removed the checkpoint {checkpoint}: the next start replays the whole log");
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"cut {report.TornBytesCut} byte(s) from {report.TornSegment} at offset {damage.Offset}, discarding {damage.ValidAfter.Count} valid record(s) of that segment and every later segment; a copy of all of it is in {report.MovedAside}. " +
            $"The next start continues at sequence {damage.Sequence}."));
        return ExitCodes.Ok;
    }
}
