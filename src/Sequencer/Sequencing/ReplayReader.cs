using Primitives;
using Sequencer.History;
using Sequencer.Log;

namespace Sequencer.Sequencing;

/// <summary>
/// The reading half of a replay (<see cref="ChainRecovery"/>), on its own thread: reads the log from a position on
/// (<see cref="WalRecovery"/>: frames, checksums, sequences, a torn write cut at the end), hashes each transaction and
/// hands the records on in batches (<see cref="ReplayBatches"/>).
/// </summary>
internal sealed class ReplayReader
{
    private readonly Thread _thread;
    private WalRecoveryReport? _report;

    private ReplayReader(string walDirectory, LogPosition? start, ReplayBatches batches)
    {
        _thread = new Thread(() => Run(walDirectory, start, batches))
        {
            Name = "wal-replay-read",
            IsBackground = true,
        };
    }

    /// <param name="walDirectory">The log.</param>
    /// <param name="start">Where to begin (a checkpoint's position); null: the first record.</param>
    /// <param name="batches">Where the records go.</param>
    public static ReplayReader Start(string walDirectory, LogPosition? start, ReplayBatches batches)
    {
        var reader = new ReplayReader(walDirectory, start, batches);
        reader._thread.Start();
        return reader;
    }

    /// <summary>Waits for the thread to end (after the batches ran out or were abandoned).</summary>
    public void Join() => _thread.Join();

    /// <summary>What reading the log found; once <see cref="ReplayBatches.Take"/> returned null.</summary>
    public WalRecoveryReport Finish()
    {
        _thread.Join();
        return _report ?? throw new InvalidOperationException("the replay's reader ended without a report");
    }

    private void Run(string walDirectory, LogPosition? start, ReplayBatches batches)
    {
        ReplayBatch? batch = null;
        try
        {
            _report = WalRecovery.Replay(walDirectory, (in TxLogRecord record, ReadOnlySpan<byte> raw) =>
            {
                batch ??= batches.Rent();
                var i = batch.Count;
                var copy = raw.ToArray();
                batch.Records[i] = record;
                batch.Raws[i] = copy;
                batch.Hashes[i] = Keccak.Hash(copy);
                batch.Count = i + 1;
                if (batch.IsFull)
                {
                    batches.Publish(batch);
                    batch = null;
                }
            }, WalRepair.CutTornWrite, start, endOfRecords: () =>
            {
                if (batch is not null)
                {
                    batches.Publish(batch);
                    batch = null;
                }

                // Before the log may be cut: every record read must have been applied without error.
                batches.WaitApplied();
            });
            batches.Complete(null);
        }
#pragma warning disable CA1031 // Not swallowed: the applier rethrows it, after the records read before it (ReplayBatches.Take).
        catch (Exception ex)
#pragma warning restore CA1031
        {
            batches.Complete(ex);
        }
    }
}
