using System.Runtime.ExceptionServices;
using Sequencer.Sequencing;

namespace Sequencer.Hosting;

/// <summary>
/// The log replay of a start, on its own thread, so that it runs beside the rest of the host's start-up (mapping the
/// endpoints) on a second core instead of after it. <see cref="Wait"/> joins it before the host starts: nothing listens,
/// and /health/ready cannot answer, before the replay is complete.
/// </summary>
internal sealed class StartupRecovery
{
    private readonly Thread _thread;
    private ExceptionDispatchInfo? _failure;

    private StartupRecovery(SequencerCore core)
    {
        _thread = new Thread(() =>
        {
            try
            {
                core.Recover();
            }
#pragma warning disable CA1031 // Not swallowed: Wait rethrows it on the starting thread, with its stack.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                _failure = ExceptionDispatchInfo.Capture(ex);
            }
        })
        {
            Name = "wal-recovery",
            IsBackground = true,
        };
    }

    public static StartupRecovery Start(SequencerCore core)
    {
        var recovery = new StartupRecovery(core);
        recovery._thread.Start();
        return recovery;
    }

    /// <summary>Waits for the replay; rethrows what stopped it (a damaged log, a locked or unreadable file).</summary>
    public void Wait()
    {
        _thread.Join();
        _failure?.Throw();
    }

    /// <summary>Waits for the replay without rethrowing (the start already failed for another reason).</summary>
    public void WaitQuietly() => _thread.Join();
}
